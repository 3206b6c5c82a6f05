using Proton.Sdk.Rendering;
using Proton.Sdk.Templates;

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

    /// <summary>
    /// A folder of CloudFormation provider schemas (<c>*.json</c> with <c>typeName</c> and <c>required</c>); when set,
    /// its types are known (besides <see cref="KnownResourceTypes"/>) and a resource of one of them missing a required property fails. Null (the default) skips both.
    /// </summary>
    public string? ProviderSchemaFolder { get; set; }

    /// <summary>
    /// The compatible environment template's bundle, for a service bundle: when set, each <c>environment.outputs.X</c> a service
    /// template reads must be an output of the environment's CloudFormation templates (rendered with a spec of defaults and one
    /// with every optional input set; an output either gives counts). Null (the default) skips the check.
    /// </summary>
    public TemplateBundle? EnvironmentBundle { get; set; }
}
