using Proton.Sdk.Rendering;

namespace Proton.Sdk.Testing;

/// <summary>Options of <see cref="TemplateTester"/>.</summary>
public sealed class TemplateTestOptions
{
    /// <summary>Write every snapshot from the new rendering instead of comparing (and pass). Default false.</summary>
    public bool UpdateSnapshots { get; set; }

    /// <summary>Also test a spec of defaults (only required inputs given, with synthetic values). Default true.</summary>
    public bool IncludeDefaultsSpec { get; set; } = true;

    /// <summary>Also test a spec with every optional input set (its default, example or a synthetic value). Default true.</summary>
    public bool IncludeAllOptionalSpec { get; set; } = true;

    /// <summary>The injection guard run on each rendering; null for its defaults (on). Disable with <see cref="InjectionGuardOptions.Enabled"/>.</summary>
    public InjectionGuardOptions? InjectionGuard { get; set; }

    /// <summary>
    /// Outputs the environment and instances answer (<c>environment.outputs</c>, <c>service_instance.outputs</c>,
    /// <c>service_instances[i].outputs</c>); null (the default) answers every name with <c>OUT_name</c>, as the registration check does.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Outputs { get; set; }

    /// <summary>Resource types known to exist (from provider schemas); null (the default) skips the resource-type check.</summary>
    public IReadOnlySet<string>? KnownResourceTypes { get; set; }
}
