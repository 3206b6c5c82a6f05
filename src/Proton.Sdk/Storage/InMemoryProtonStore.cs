using System.Collections.Concurrent;

namespace Proton.Sdk.Storage;

/// <summary>An <see cref="IProtonStore"/> in memory, for tests and short-lived hosts. Thread-safe.</summary>
public sealed class InMemoryProtonStore : IProtonStore
{
    private readonly object _gate = new();
    private readonly Dictionary<(string, string), StoredRecord> _records = [];

    // The keys of each collection in order, so that a listing reads its prefix's range and not every record.
    private readonly Dictionary<string, SortedSet<string>> _keys = new(StringComparer.Ordinal);
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
            if (!_keys.TryGetValue(collection, out var keys))
            {
                return ValueTask.FromResult<IReadOnlyList<StoredRecord>>([]);
            }

            // Keys are ASCII: every key that starts with the prefix sorts between it and the prefix followed by char.MaxValue.
            var range = keyPrefix is null ? keys : keys.GetViewBetween(keyPrefix, keyPrefix + char.MaxValue);
            IReadOnlyList<StoredRecord> list = range.Select(k => _records[(collection, k)]).ToList();
            return ValueTask.FromResult(list);
        }
    }

    /// <inheritdoc />
    public ValueTask<StoredRecord> PutAsync(string collection, string key, ReadOnlyMemory<byte> document, string? expectedRevision, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        StoreKeys.ValidateName(key, nameof(key));
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
            if (current is null)
            {
                if (!_keys.TryGetValue(collection, out var keys))
                {
                    _keys[collection] = keys = new SortedSet<string>(StringComparer.Ordinal);
                }

                keys.Add(key);
            }
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
            _keys[collection].Remove(key);
            return ValueTask.CompletedTask;
        }
    }

    /// <inheritdoc />
    public ValueTask<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var hash = StoreKeys.ContentHash(content.Span);
        _blobs.TryAdd(hash, content.ToArray());
        return ValueTask.FromResult(hash);
    }

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>?> GetBlobAsync(string hash, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_blobs.TryGetValue(hash, out var b) ? new ReadOnlyMemory<byte>(b) : (ReadOnlyMemory<byte>?)null);
}
