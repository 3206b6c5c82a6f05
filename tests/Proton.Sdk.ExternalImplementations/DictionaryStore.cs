using System.Collections.Concurrent;
using System.Globalization;
using Proton.Sdk.Storage;

namespace Proton.Sdk.ExternalImplementations;

/// <summary>A store written outside Proton.Sdk: a dictionary with integer revisions, the public key rules and a call count.</summary>
public sealed class DictionaryStore : IProtonStore
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, StoredRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    public int Calls { get; private set; }

    public ValueTask<StoredRecord?> GetAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Calls++;
            return ValueTask.FromResult(_records.GetValueOrDefault(collection + "/" + key));
        }
    }

    public ValueTask<IReadOnlyList<StoredRecord>> ListAsync(string collection, string? keyPrefix = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Calls++;
            var prefix = collection + "/" + (keyPrefix ?? string.Empty);
            return ValueTask.FromResult<IReadOnlyList<StoredRecord>>(_records.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(kv => kv.Value).ToList());
        }
    }

    public ValueTask<StoredRecord> PutAsync(string collection, string key, ReadOnlyMemory<byte> document, string? expectedRevision, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        StoreKeys.ValidateName(key, nameof(key));
        lock (_gate)
        {
            Calls++;
            var current = _records.GetValueOrDefault(collection + "/" + key);
            if (current?.Revision != expectedRevision)
            {
                throw new StoreConflictException(collection, key, expectedRevision, current?.Revision);
            }

            var next = (current is null ? 1 : int.Parse(current.Revision, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
            var record = new StoredRecord(collection, key, next, document.ToArray());
            _records[collection + "/" + key] = record;
            return ValueTask.FromResult(record);
        }
    }

    public ValueTask DeleteAsync(string collection, string key, string expectedRevision, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Calls++;
            var current = _records.GetValueOrDefault(collection + "/" + key);
            if (current?.Revision != expectedRevision)
            {
                throw new StoreConflictException(collection, key, expectedRevision, current?.Revision);
            }

            _records.Remove(collection + "/" + key);
            return ValueTask.CompletedTask;
        }
    }

    public ValueTask<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var hash = StoreKeys.ContentHash(content.Span);
        _blobs.TryAdd(hash, content.ToArray());
        return ValueTask.FromResult(hash);
    }

    public ValueTask<ReadOnlyMemory<byte>?> GetBlobAsync(string hash, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateHash(hash);
        return ValueTask.FromResult(_blobs.TryGetValue(hash, out var bytes) ? new ReadOnlyMemory<byte>(bytes) : (ReadOnlyMemory<byte>?)null);
    }
}
