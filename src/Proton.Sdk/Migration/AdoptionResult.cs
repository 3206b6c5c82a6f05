namespace Proton.Sdk.Migration;

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
