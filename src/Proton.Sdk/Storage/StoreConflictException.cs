namespace Proton.Sdk.Storage;

/// <summary>A write lost a race: the record's revision is not the one the writer read.</summary>
public sealed class StoreConflictException : ProtonException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="collection">The collection.</param>
    /// <param name="key">The key.</param>
    /// <param name="expectedRevision">The revision the writer read (null: it expected no record).</param>
    /// <param name="actualRevision">The revision found (null: no record).</param>
    public StoreConflictException(string collection, string key, string? expectedRevision, string? actualRevision)
        : base(StoreErrorCodes.Conflict, $"{collection}/{key}: expected {(expectedRevision is null ? "no record" : $"revision {expectedRevision}")}, found {(actualRevision is null ? "no record" : $"revision {actualRevision}")}; another writer got there first.")
    {
        Collection = collection;
        Key = key;
        ExpectedRevision = expectedRevision;
        ActualRevision = actualRevision;
    }

    /// <summary>The collection.</summary>
    public string Collection { get; }

    /// <summary>The key.</summary>
    public string Key { get; }

    /// <summary>The revision the writer read.</summary>
    public string? ExpectedRevision { get; }

    /// <summary>The revision found.</summary>
    public string? ActualRevision { get; }
}
