using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>How a fleet upgrade runs.</summary>
public sealed record UpgradeOptions
{
    /// <summary>How many deployments run at once (at least 1).</summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary>How many failures are tolerated; one more stops the rollout (no new deployment starts).</summary>
    public int FailureTolerance { get; init; }
}
