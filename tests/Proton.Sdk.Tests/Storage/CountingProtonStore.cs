using Proton.Sdk.Storage;

namespace Proton.Sdk.Tests.Storage;

/// <summary>
/// An <see cref="IProtonStore"/> decorator that counts what the platform asks of the store: gets, listings and the
/// records they returned (a record read is a get or a listed record), writes and deletes. Thread-safe. Linked into the
/// benchmarks.
/// </summary>
public sealed class CountingProtonStore(IProtonStore inner) : IProtonStore
{
    private long _gets;
    private long _lists;
    private long _listed;
    private long _puts;
    private long _deletes;

    /// <summary>The store behind.</summary>
    public IProtonStore Inner { get; } = inner;

    /// <summary>GetAsync calls.</summary>
    public long Gets => Interlocked.Read(ref _gets);

    /// <summary>ListAsync calls.</summary>
    public long Lists => Interlocked.Read(ref _lists);

    /// <summary>Records returned by listings.</summary>
    public long Listed => Interlocked.Read(ref _listed);

    /// <summary>Records read: gets plus listed records.</summary>
    public long Reads => Gets + Listed;

    /// <summary>PutAsync calls.</summary>
    public long Puts => Interlocked.Read(ref _puts);

    /// <summary>DeleteAsync calls.</summary>
    public long Deletes => Interlocked.Read(ref _deletes);

    /// <summary>Sets every count to zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _gets, 0);
        Interlocked.Exchange(ref _lists, 0);
        Interlocked.Exchange(ref _listed, 0);
        Interlocked.Exchange(ref _puts, 0);
        Interlocked.Exchange(ref _deletes, 0);
    }

    /// <summary>The counts as text.</summary>
    /// <returns>Reads, gets, lists, listed, puts, deletes.</returns>
    public override string ToString() => $"reads {Reads} (gets {Gets}, lists {Lists} returning {Listed}), puts {Puts}, deletes {Deletes}";

    /// <inheritdoc />
    public ValueTask<StoredRecord?> GetAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        return Inner.GetAsync(collection, key, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredRecord>> ListAsync(string collection, string? keyPrefix = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lists);
        var list = await Inner.ListAsync(collection, keyPrefix, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _listed, list.Count);
        return list;
    }

    /// <inheritdoc />
    public ValueTask<StoredRecord> PutAsync(string collection, string key, ReadOnlyMemory<byte> document, string? expectedRevision, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _puts);
        return Inner.PutAsync(collection, key, document, expectedRevision, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DeleteAsync(string collection, string key, string expectedRevision, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _deletes);
        return Inner.DeleteAsync(collection, key, expectedRevision, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => Inner.PutBlobAsync(content, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>?> GetBlobAsync(string hash, CancellationToken cancellationToken = default) => Inner.GetBlobAsync(hash, cancellationToken);
}
