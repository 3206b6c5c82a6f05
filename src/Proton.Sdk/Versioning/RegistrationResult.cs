using Proton.Sdk.Schema;

namespace Proton.Sdk.Versioning;

/// <summary>The outcome of a registration.</summary>
/// <param name="Version">The version record (the existing one when the content was already registered).</param>
/// <param name="AlreadyRegistered">True when identical content was registered before and that version is returned.</param>
/// <param name="Changes">The schema changes against the version compared with.</param>
public sealed record RegistrationResult(TemplateVersionRecord Version, bool AlreadyRegistered, IReadOnlyList<SchemaChange> Changes);
