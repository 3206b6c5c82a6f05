namespace Proton.Sdk.Migration;

/// <summary>A stack with Proton tags that discovery could not classify, and why; it is never guessed.</summary>
/// <param name="Stack">The stack.</param>
/// <param name="Reason">Why (missing tag, contradicting tags, another account or region, a value that is not an ARN, a duplicate).</param>
public sealed record UnclassifiedStack(DiscoveredStack Stack, string Reason);
