using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>Counts of resources per template, like Proton's <c>GetResourcesSummary</c>.</summary>
/// <param name="TemplateName">The template.</param>
/// <param name="ResourceType">Environments, service instances or pipelines.</param>
/// <param name="RecommendedVersion">The template's recommended version, if any.</param>
public sealed record SummaryCounts(string TemplateName, DeploymentTargetType ResourceType, string? RecommendedVersion)
{
    /// <summary>On the recommended version of their major, with no newer major recommended.</summary>
    public int UpToDate { get; init; }

    /// <summary>Behind the recommended minor of their major.</summary>
    public int BehindMinor { get; init; }

    /// <summary>Up to date in their major, but a higher major is recommended.</summary>
    public int BehindMajor { get; init; }

    /// <summary>Whose last deployment failed.</summary>
    public int Failed { get; init; }

    /// <summary>All of them.</summary>
    public int Total { get; init; }
}
