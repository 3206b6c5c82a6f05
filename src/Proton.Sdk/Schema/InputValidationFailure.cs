namespace Proton.Sdk.Schema;

/// <summary>One input that failed validation.</summary>
/// <param name="Path">Where: <c>spec.port</c>, <c>instances[1].spec.port</c>, <c>pipeline.dockerfile</c>.</param>
/// <param name="Code">A stable code: <c>schema.required</c>, <c>schema.type</c>, <c>schema.pattern</c>, <c>schema.unknown-input</c>, ...</param>
/// <param name="Message">What is wrong, for a developer.</param>
public sealed record InputValidationFailure(string Path, string Code, string Message)
{
    /// <summary>The value given, or <see cref="InputValues.Mask"/> when the input is secret.</summary>
    public object? AttemptedValue { get; init; }

    /// <summary>True when the input is secret (<c>format: password</c>).</summary>
    public bool IsSecret { get; init; }

    /// <summary>Formats as <c>path: message (code)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Path}: {Message} ({Code})";
}
