using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>The outcome of one upgrade step.</summary>
/// <param name="Step">The step.</param>
/// <param name="Deployment">Its deployment, or null when it did not run.</param>
/// <param name="Outcome"><c>succeeded</c>, <c>failed</c>, <c>blocked</c> or <c>not-started</c>.</param>
public sealed record UpgradeStepResult(UpgradeStep Step, DeploymentRecord? Deployment, string Outcome)
{
    /// <summary>Why it failed or did not run.</summary>
    public string? Message { get; init; }
}
