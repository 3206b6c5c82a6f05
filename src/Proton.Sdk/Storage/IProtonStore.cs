namespace Proton.Sdk.Storage;

/// <summary>
/// Durable state with optimistic concurrency: records with revisions (every write states the revision it read; a lost
/// race is a <see cref="StoreConflictException"/>) and immutable blobs addressed by their SHA-256.
/// </summary>
public interface IProtonStore
{
    /// <summary>Reads a record, or null when there is none.</summary>
    /// <param name="collection">The collection.</param>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record or null.</returns>
    ValueTask<StoredRecord?> GetAsync(string collection, string key, CancellationToken cancellationToken = default);

    /// <summary>Lists the records of a collection whose keys start with a prefix, ordered by key.</summary>
    /// <param name="collection">The collection.</param>
    /// <param name="keyPrefix">The prefix, or null for all.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The records.</returns>
    ValueTask<IReadOnlyList<StoredRecord>> ListAsync(string collection, string? keyPrefix = null, CancellationToken cancellationToken = default);

    /// <summary>Creates (<paramref name="expectedRevision"/> null) or replaces a record.</summary>
    /// <param name="collection">The collection.</param>
    /// <param name="key">The key.</param>
    /// <param name="document">The UTF-8 JSON document.</param>
    /// <param name="expectedRevision">The revision read, or null to create.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The record as written, with its new revision.</returns>
    /// <exception cref="StoreConflictException">Another writer changed or created the record first.</exception>
    ValueTask<StoredRecord> PutAsync(string collection, string key, ReadOnlyMemory<byte> document, string? expectedRevision, CancellationToken cancellationToken = default);

    /// <summary>Deletes a record at the revision read.</summary>
    /// <param name="collection">The collection.</param>
    /// <param name="key">The key.</param>
    /// <param name="expectedRevision">The revision read.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>A task.</returns>
    /// <exception cref="StoreConflictException">The record changed or is gone.</exception>
    ValueTask DeleteAsync(string collection, string key, string expectedRevision, CancellationToken cancellationToken = default);

    /// <summary>Stores an immutable blob and returns its SHA-256 (lowercase hex). Storing the same bytes again is a no-op.</summary>
    /// <param name="content">The bytes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The hash.</returns>
    ValueTask<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Reads a blob by hash, or null when there is none; a blob whose bytes no longer match its hash is reported.</summary>
    /// <param name="hash">The SHA-256.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bytes or null.</returns>
    ValueTask<ReadOnlyMemory<byte>?> GetBlobAsync(string hash, CancellationToken cancellationToken = default);
}
