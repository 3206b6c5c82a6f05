namespace Proton.Sdk.Migration;

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
