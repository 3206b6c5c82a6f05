namespace Proton.Sdk.Schema;

/// <summary>Every change between two schemas and the bump they need.</summary>
/// <param name="Changes">The changes, in schema order.</param>
public sealed record SchemaDiffResult(IReadOnlyList<SchemaChange> Changes)
{
    /// <summary>The smallest bump the changes need: major for any breaking change, minor for any additive one, else patch.</summary>
    public VersionBump RequiredBump => Changes.Any(c => c.Impact == ChangeImpact.Breaking) ? VersionBump.Major
        : Changes.Any(c => c.Impact == ChangeImpact.Additive) ? VersionBump.Minor
        : VersionBump.Patch;

    /// <summary>The breaking changes.</summary>
    public IEnumerable<SchemaChange> Breaking => Changes.Where(c => c.Impact == ChangeImpact.Breaking);
}
