namespace Proton.Sdk.Migration;

/// <summary>What <see cref="ProtonMigration.AdoptAsync"/> takes over.</summary>
public sealed record AdoptRequest
{
    /// <summary>
    /// Template bundles in Proton's template-sync layout: <c>[subdir/]&lt;template&gt;/v&lt;major&gt;/</c> (or
    /// <c>v&lt;major&gt;.&lt;minor&gt;</c>), registered as <c>major.0.0</c> (<c>major.minor.0</c>) and published. Null uses only
    /// the versions already in the registry.
    /// </summary>
    public string? TemplatesDirectory { get; init; }

    /// <summary>Spec files: <c>environments/&lt;env&gt;.yaml</c> (EnvironmentSpec) and <c>services/&lt;service&gt;.yaml</c> (ServiceSpec).</summary>
    public required string SpecsDirectory { get; init; }

    /// <summary>Prove only: nothing is registered or recorded.</summary>
    public bool DryRun { get; init; }

    /// <summary>Adopt resources whose deployed template differs from every rendering, with the closest version; their first update is then a change.</summary>
    public bool AcceptDrift { get; init; }

    /// <summary>
    /// The repository of services with a pipeline (Proton's service properties <c>repository_id</c>, <c>branch_name</c>,
    /// <c>repository_connection_arn</c>, which spec files do not hold), by service name; pipeline templates that read
    /// them render differently without. Default empty.
    /// </summary>
    public IReadOnlyList<Rendering.ServiceInfo> Services { get; init; } = [];

    /// <summary>The estate to adopt; discovered from the inventory when null.</summary>
    public ProtonEstate? Estate { get; init; }
}

/// <summary>The outcome for one discovered resource.</summary>
public enum AdoptionOutcome
{
    /// <summary>A version renders exactly the deployed template; recorded (or would be, in a dry run).</summary>
    Adopted,

    /// <summary>No version renders the deployed template; recorded with the closest version because drift was accepted.</summary>
    AdoptedWithDrift,

    /// <summary>No version renders the deployed template; not recorded (see the differences, or pass AcceptDrift).</summary>
    Differs,

    /// <summary>Cannot be adopted (see the reason): no spec, no template, an unstable stack, an environment not adopted, already recorded.</summary>
    NotAdoptable,
}

/// <summary>What adoption found for one resource.</summary>
public sealed record AdoptionResult
{
    /// <summary>The resource, as discovered.</summary>
    public required DiscoveredResource Resource { get; init; }

    /// <summary>The outcome.</summary>
    public required AdoptionOutcome Outcome { get; init; }

    /// <summary>The version it was (or would be) recorded with, or the closest one when it differs.</summary>
    public string? TemplateVersion { get; init; }

    /// <summary>True when the rendering equals the deployed template as a document.</summary>
    public bool ExactMatch { get; init; }

    /// <summary>The differences between the deployed template and the closest rendering (empty on an exact match).</summary>
    public IReadOnlyList<TemplateDifference> Differences { get; init; } = [];

    /// <summary>The differences as readable text, by resource and property.</summary>
    public string? DifferenceText { get; init; }

    /// <summary>Why it was not adopted, or a note.</summary>
    public string? Reason { get; init; }

    /// <summary>When the spec file is missing or does not fit: a draft from the schema (defaults filled, required inputs marked).</summary>
    public string? SpecDraft { get; init; }

    /// <summary>Where the spec file is expected (the draft belongs there once corrected).</summary>
    public string? SpecPath { get; init; }

    /// <summary>The deployment recorded for the adoption; null in a dry run or when not adopted.</summary>
    public string? DeploymentId { get; init; }
}

/// <summary>The outcome of an adoption run.</summary>
public sealed record AdoptionReport
{
    /// <summary>True when nothing was registered or recorded.</summary>
    public bool DryRun { get; init; }

    /// <summary>One result per classified resource: environments first, then services (instances, pipeline), then components.</summary>
    public IReadOnlyList<AdoptionResult> Results { get; init; } = [];

    /// <summary>The template versions found in the templates folder (<c>name@version</c>), registered unless a dry run.</summary>
    public IReadOnlyList<string> TemplateVersions { get; init; } = [];

    /// <summary>Bundles of the templates folder that could not be read or registered, with the reason.</summary>
    public IReadOnlyList<string> TemplateProblems { get; init; } = [];

    /// <summary>Stacks with Proton tags that discovery could not classify.</summary>
    public IReadOnlyList<UnclassifiedStack> Unclassified { get; init; } = [];

    /// <summary>True when every classified resource was adopted (exactly or with accepted drift).</summary>
    public bool AllAdopted => Results.All(r => r.Outcome is AdoptionOutcome.Adopted or AdoptionOutcome.AdoptedWithDrift);
}
