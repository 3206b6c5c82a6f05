using Proton.Sdk.Schema;

namespace Proton.Sdk.Versioning;

/// <summary>Raised by the registry: the code says which rule (<c>registry.bump-too-small</c>, <c>registry.in-use</c>, ...).</summary>
/// <param name="errorCode">The stable code.</param>
/// <param name="message">What happened.</param>
public sealed class RegistryException(string errorCode, string message) : ProtonException(errorCode, message)
{
    /// <summary>The breaking changes behind a refused bump, when that is the reason.</summary>
    public IReadOnlyList<SchemaChange> Changes { get; init; } = [];
}
