using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>The outcome of a fleet upgrade.</summary>
/// <param name="Plan">The plan it ran.</param>
/// <param name="Steps">Each step's outcome, in plan order.</param>
/// <param name="Stopped">True when failures passed the tolerance and the rollout stopped.</param>
public sealed record UpgradeResult(UpgradePlan Plan, IReadOnlyList<UpgradeStepResult> Steps, bool Stopped);
