namespace Proton.Sdk.Templates;

/// <summary>A spec file: <c>proton: EnvironmentSpec</c> or <c>proton: ServiceSpec</c>.</summary>
public abstract record ProtonSpec
{
    /// <summary>The value that means "keep the current value" on updates.</summary>
    public const string CurrentValue = "${Proton::CURRENT_VAL}";

    /// <summary>The file it was read from, when it came from a file.</summary>
    public string? SourceFile { get; init; }

    /// <summary>Where each value is, keyed by path (<c>spec.port</c>, <c>instances[1].spec.port</c>, <c>pipeline.dockerfile</c>).</summary>
    public IReadOnlyDictionary<string, SourceLocation> Locations { get; init; } = new Dictionary<string, SourceLocation>();

    /// <summary>True when <paramref name="value"/> is <c>${Proton::CURRENT_VAL}</c>.</summary>
    /// <param name="value">A spec value.</param>
    /// <returns>Whether it asks to keep the current value.</returns>
    public static bool IsCurrentValue(object? value) => value is string s && s == CurrentValue;
}
