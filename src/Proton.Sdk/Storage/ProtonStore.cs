using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Proton.Sdk.Storage;

/// <summary>One stored record: a JSON document with the revision it was written at.</summary>
/// <param name="Collection">The collection (<c>templates</c>, <c>versions</c>, ...).</param>
/// <param name="Key">The key within the collection.</param>
/// <param name="Revision">An opaque revision; a write states the revision it read.</param>
/// <param name="Document">The UTF-8 JSON document.</param>
public sealed record StoredRecord(string Collection, string Key, string Revision, ReadOnlyMemory<byte> Document);

/// <summary>A write lost a race: the record's revision is not the one the writer read.</summary>
public sealed class StoreConflictException : ProtonException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="collection">The collection.</param>
    /// <param name="key">The key.</param>
    /// <param name="expectedRevision">The revision the writer read (null: it expected no record).</param>
    /// <param name="actualRevision">The revision found (null: no record).</param>
    public StoreConflictException(string collection, string key, string? expectedRevision, string? actualRevision)
        : base("store.conflict", $"{collection}/{key}: expected {(expectedRevision is null ? "no record" : $"revision {expectedRevision}")}, found {(actualRevision is null ? "no record" : $"revision {actualRevision}")}; another writer got there first.")
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

/// <summary>A stored file or object could not be read back: it is reported, never skipped.</summary>
/// <param name="location">The file or object.</param>
/// <param name="reason">What is wrong.</param>
public sealed class StoreCorruptedException(string location, string reason)
    : ProtonException("store.corrupt", $"{location}: {reason}")
{
    /// <summary>The damaged file or object.</summary>
    public string Location { get; } = location;
}

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

/// <summary>Helpers shared by the stores.</summary>
internal static class StoreNames
{
    public static string Hash(ReadOnlySpan<byte> content) => Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();

    public static void CheckName(string value, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, what);
        if (value.Length > 400 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or '+')) || value.StartsWith('.'))
        {
            throw new ArgumentException($"'{value}' is not a valid store {what}: letters, digits, '-', '_', '.', '@', '+' only, not starting with '.'.", what);
        }
    }

    public static void CheckHash(string hash)
    {
        if (hash.Length != 64 || !hash.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            throw new ArgumentException($"'{hash}' is not a SHA-256 in lowercase hex.", nameof(hash));
        }
    }
}

/// <summary>An <see cref="IProtonStore"/> in memory, for tests and short-lived hosts. Thread-safe.</summary>
public sealed class InMemoryProtonStore : IProtonStore
{
    private readonly object _gate = new();
    private readonly Dictionary<(string, string), StoredRecord> _records = [];
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<StoredRecord?> GetAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_records.TryGetValue((collection, key), out var r) ? r : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredRecord>> ListAsync(string collection, string? keyPrefix = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<StoredRecord> list = _records.Values
                .Where(r => r.Collection == collection && (keyPrefix is null || r.Key.StartsWith(keyPrefix, StringComparison.Ordinal)))
                .OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
            return ValueTask.FromResult(list);
        }
    }

    /// <inheritdoc />
    public ValueTask<StoredRecord> PutAsync(string collection, string key, ReadOnlyMemory<byte> document, string? expectedRevision, CancellationToken cancellationToken = default)
    {
        StoreNames.CheckName(collection, nameof(collection));
        StoreNames.CheckName(key, nameof(key));
        lock (_gate)
        {
            _records.TryGetValue((collection, key), out var current);
            if (current?.Revision != expectedRevision)
            {
                throw new StoreConflictException(collection, key, expectedRevision, current?.Revision);
            }

            var revision = ((current is null ? 0 : long.Parse(current.Revision, System.Globalization.CultureInfo.InvariantCulture)) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var record = new StoredRecord(collection, key, revision, document.ToArray());
            _records[(collection, key)] = record;
            return ValueTask.FromResult(record);
        }
    }

    /// <inheritdoc />
    public ValueTask DeleteAsync(string collection, string key, string expectedRevision, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _records.TryGetValue((collection, key), out var current);
            if (current?.Revision != expectedRevision)
            {
                throw new StoreConflictException(collection, key, expectedRevision, current?.Revision);
            }

            _records.Remove((collection, key));
            return ValueTask.CompletedTask;
        }
    }

    /// <inheritdoc />
    public ValueTask<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var hash = StoreNames.Hash(content.Span);
        _blobs.TryAdd(hash, content.ToArray());
        return ValueTask.FromResult(hash);
    }

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>?> GetBlobAsync(string hash, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_blobs.TryGetValue(hash, out var b) ? new ReadOnlyMemory<byte>(b) : (ReadOnlyMemory<byte>?)null);
}
