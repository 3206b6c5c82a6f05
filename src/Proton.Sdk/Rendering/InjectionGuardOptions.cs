namespace Proton.Sdk.Rendering;

/// <summary>Options of <see cref="InjectionGuard"/>: on by default, with templates a host exempts by file name.</summary>
public sealed class InjectionGuardOptions
{
    /// <summary>Whether the guard runs. Default true (opt out, not in).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Template file names (<see cref="CompiledTemplate.FileName"/>, compared ordinally) the guard does not check, for
    /// templates that build structure from inputs on purpose. Default empty.
    /// </summary>
    public ISet<string> ExemptTemplates { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Renders the guard may add per check (one with every suspicious value neutral, then one per value to attribute). Default 64.</summary>
    public int MaxExtraRenders { get; set; } = 64;
}
