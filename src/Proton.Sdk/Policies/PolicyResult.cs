namespace Proton.Sdk.Policies;

/// <summary>The policy a provisioning role needs for one or more templates.</summary>
public sealed record PolicyResult
{
    /// <summary>Every IAM action needed, sorted, case-insensitively distinct.</summary>
    public required IReadOnlyList<string> Actions { get; init; }

    /// <summary>The actions each resource type contributes.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> ActionsByType { get; init; }

    /// <summary>Types not covered, each named with the reason (never silently skipped).</summary>
    public required IReadOnlyList<UncoveredType> Uncovered { get; init; }

    /// <summary>True when a template uses a transform: the stack needs <c>CAPABILITY_AUTO_EXPAND</c>, and the transform's output types are not covered.</summary>
    public bool NeedsAutoExpand { get; init; }

    /// <summary>True when a template passes roles to services (<c>iam:PassRole</c> is included).</summary>
    public bool PassesRoles { get; init; }

    /// <summary>The IAM policy document (JSON), one statement per service in ordinal order.</summary>
    public required string PolicyDocument { get; init; }
}
