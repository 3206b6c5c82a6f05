namespace Proton.Sdk.Schema;

/// <summary>One difference between two schemas of a template.</summary>
/// <param name="Impact">How much it matters.</param>
/// <param name="Path">Where: <c>service_input_type</c>, <c>service.port</c>, <c>pipeline.dockerfile</c>.</param>
/// <param name="Code">A stable code: <c>input-removed</c>, <c>type-changed</c>, <c>enum-value-removed</c>, ...</param>
/// <param name="Reason">What changed, for a developer.</param>
public sealed record SchemaChange(ChangeImpact Impact, string Path, string Code, string Reason)
{
    /// <summary>Formats as <c>impact path: reason</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Impact.ToString().ToLowerInvariant()} {Path}: {Reason}";
}
