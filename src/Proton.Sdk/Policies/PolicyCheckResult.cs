namespace Proton.Sdk.Policies;

/// <summary>The outcome of checking a policy against the actions a deployment needs.</summary>
/// <param name="Missing">Actions no Allow statement grants.</param>
/// <param name="Denied">Actions an explicit Deny refuses (whether or not something allows them).</param>
public sealed record PolicyCheckResult(IReadOnlyList<string> Missing, IReadOnlyList<string> Denied)
{
    /// <summary>True when every action is allowed.</summary>
    public bool IsSufficient => Missing.Count == 0 && Denied.Count == 0;
}
