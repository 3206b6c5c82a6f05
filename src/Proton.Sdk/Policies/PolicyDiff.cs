namespace Proton.Sdk.Policies;

/// <summary>What an upgrade changes in the policy.</summary>
/// <param name="Added">Actions the new version needs that the old did not.</param>
/// <param name="Removed">Actions the old version needed that the new does not.</param>
public sealed record PolicyDiff(IReadOnlyList<string> Added, IReadOnlyList<string> Removed);
