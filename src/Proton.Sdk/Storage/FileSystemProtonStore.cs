using System.Globalization;
using System.Text.Json;

namespace Proton.Sdk.Storage;

/// <summary>
/// An <see cref="IProtonStore"/> in a folder: one JSON file per record, replaced atomically (temporary file, flush, rename),
/// writes serialized across threads and processes by an exclusive lock file per record (<c>locks/</c>, there only while
/// a write holds it); blobs by hash. Damaged files are
/// reported with <see cref="StoreCorruptedException"/>, never skipped; temporary files a killed writer left are ignored.
/// </summary>
public sealed class FileSystemProtonStore : IProtonStore
{
    /// <summary>What a lock file's holder writes into it before deleting it, followed by a random token.</summary>
    private const string ReleasePrefix = "released ";

    /// <summary>Case-sensitive, literal matching of a key prefix, everywhere (not the platform's default rules).</summary>
    private static readonly EnumerationOptions PrefixEnumeration = new() { MatchCasing = MatchCasing.CaseSensitive, MatchType = MatchType.Simple, RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };

    private readonly string _records;
    private readonly string _locks;
    private readonly string _blobs;

    /// <summary>Opens (and creates) a store in a folder.</summary>
    /// <param name="root">The folder.</param>
    public FileSystemProtonStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _records = Path.Combine(Root, "records");
        _locks = Path.Combine(Root, "locks");
        _blobs = Path.Combine(Root, "blobs");
        Directory.CreateDirectory(_records);
        Directory.CreateDirectory(_locks);
        Directory.CreateDirectory(_blobs);
    }

    /// <summary>The store's folder.</summary>
    public string Root { get; }

    /// <summary>How long a writer waits for another writer's lock on the same record. Default 30 seconds.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    private string RecordPath(string collection, string key) => Path.Combine(_records, collection, key + ".json");

    /// <inheritdoc />
    public async ValueTask<StoredRecord?> GetAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        StoreKeys.ValidateName(key, nameof(key));
        return await ReadAsync(collection, key, RecordPath(collection, key), cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<StoredRecord?> ReadAsync(string collection, string key, string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            var (revision, document) = Unwrap(bytes);
            return new StoredRecord(collection, key, revision, document);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new StoreCorruptedException(path, $"not a valid store record ({ex.Message}); restore it from a backup or delete it");
        }
    }

    /// <summary>
    /// The revision and the document of a record file (<c>{"revision":"n","document":{...}}</c>): one pass of a reader
    /// that validates the whole file; the document is the slice of the file's bytes it occupies (no copy, no re-encoding).
    /// </summary>
    private static (string Revision, ReadOnlyMemory<byte> Document) Unwrap(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("the file is not a JSON object");
        }

        string? revision = null;
        ReadOnlyMemory<byte>? document = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueTextEquals("revision"u8) ? 1 : reader.ValueTextEquals("document"u8) ? 2 : 0;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            if (name == 1)
            {
                revision = reader.GetString() ?? throw new JsonException("revision is null");
            }

            reader.Skip();
            if (name == 2)
            {
                document = bytes.AsMemory(start, (int)reader.BytesConsumed - start);
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("the file has text after its record");
        }

        return (revision ?? throw new KeyNotFoundException("no revision"), document ?? throw new KeyNotFoundException("no document"));
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredRecord>> ListAsync(string collection, string? keyPrefix = null, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        var dir = Path.Combine(_records, collection);
        if (!Directory.Exists(dir))
        {
            return [];
        }

        // The prefix is part of the pattern (keys have no wildcard characters), so files of other keys are skipped by the
        // enumeration before a path is made for them, and only the matches are sorted.
        var result = new List<StoredRecord>();
        var matches = Directory.EnumerateFiles(dir, (keyPrefix ?? string.Empty) + "*.json", PrefixEnumeration);
        foreach (var file in matches.Order(StringComparer.Ordinal))
        {
            var key = Path.GetFileNameWithoutExtension(file);
            if (keyPrefix is not null && !key.StartsWith(keyPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (await ReadAsync(collection, key, file, cancellationToken).ConfigureAwait(false) is { } record)
            {
                result.Add(record);
            }
        }

        return result;
    }

    /// <inheritdoc />
    public async ValueTask<StoredRecord> PutAsync(string collection, string key, ReadOnlyMemory<byte> document, string? expectedRevision, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        StoreKeys.ValidateName(key, nameof(key));
        var path = RecordPath(collection, key);
        var (recordLock, current) = await LockAndCheckAsync(collection, key, path, expectedRevision, cancellationToken).ConfigureAwait(false);
        using var _ = recordLock;
        var revision = ((current is null ? 0 : long.Parse(current.Revision, CultureInfo.InvariantCulture)) + 1).ToString(CultureInfo.InvariantCulture);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("revision", revision);
            writer.WritePropertyName("document");
            using var parsed = JsonDocument.Parse(document);
            parsed.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await AtomicWriteAsync(path, buffer.ToArray(), cancellationToken).ConfigureAwait(false);
        return new StoredRecord(collection, key, revision, document.ToArray());
    }

    /// <inheritdoc />
    public async ValueTask DeleteAsync(string collection, string key, string expectedRevision, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        StoreKeys.ValidateName(key, nameof(key));
        var path = RecordPath(collection, key);
        var (recordLock, _) = await LockAndCheckAsync(collection, key, path, expectedRevision, cancellationToken).ConfigureAwait(false);
        using (recordLock)
        {
            File.Delete(path);
        }
    }

    /// <inheritdoc />
    public async ValueTask<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var hash = StoreKeys.ContentHash(content.Span);
        var path = BlobPath(hash);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await AtomicWriteAsync(path, content, cancellationToken).ConfigureAwait(false);
        }

        return hash;
    }

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<byte>?> GetBlobAsync(string hash, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateHash(hash);
        var path = BlobPath(hash);
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        if (StoreKeys.ContentHash(bytes) != hash)
        {
            throw new StoreCorruptedException(path, "the blob's content does not match its SHA-256");
        }

        return bytes;
    }

    private string BlobPath(string hash) => Path.Combine(_blobs, hash[..2], hash);

    /// <summary>Writes a temporary file beside the target, flushes it to disk, then renames it over the target.</summary>
    private static async Task AtomicWriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var temp = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Takes the record's lock and checks that its revision is the one the writer read; the caller releases the lock.</summary>
    private async ValueTask<(IDisposable Lock, StoredRecord? Current)> LockAndCheckAsync(string collection, string key, string path, string? expectedRevision, CancellationToken cancellationToken)
    {
        var recordLock = await LockAsync(collection, key, cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await ReadAsync(collection, key, path, cancellationToken).ConfigureAwait(false);
            if (current?.Revision != expectedRevision)
            {
                throw new StoreConflictException(collection, key, expectedRevision, current?.Revision);
            }

            return (recordLock, current);
        }
        catch
        {
            recordLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An exclusive lock on one record, across threads and processes (the OS releases it if a process dies). The lock
    /// file exists only while it is held: its holder deletes it on release. On Unix the lock is advisory (<c>flock</c>), so
    /// a writer that opened the file just before its holder deleted it could lock a file no longer at the path. A holder
    /// therefore writes a release mark (a random token) into its file through its own handle before it deletes it, and a
    /// writer that finds a release mark in the file it locked lets go and opens the path again. Only a holder deletes a lock
    /// file and only after marking it, so an unmarked locked file is the one at the path. A holder killed between marking
    /// and deleting leaves a marked file at the path: the writer that opens the path again and finds the same token in the
    /// file it locked knows it is that file (tokens are unique and nobody else writes it) and takes it. Everything is read
    /// and written through the handle: a store folder shared by a group needs write permission only, not ownership of
    /// the lock files. On Windows the lock is a share mode and the file is deleted on close.
    /// </summary>
    private async ValueTask<IDisposable> LockAsync(string collection, string key, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_locks, collection, key + ".lock");
        var started = TimeProvider.System.GetTimestamp(); // a monotonic wait on real file locks, not a wall-clock time
        var delay = 1;
        string? released = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            FileStream? stream;
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
#pragma warning disable CA2000 // owned by the RecordLock returned below, or disposed in the finally block
                stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None);
#pragma warning restore CA2000
            }
            catch (Exception ex) when (IsBusy(ex) && TimeProvider.System.GetElapsedTime(started) < LockTimeout)
            {
                await Task.Delay(Random.Shared.Next(delay, delay * 2 + 1), cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 50);
                continue;
            }
            catch (Exception ex) when (IsBusy(ex))
            {
                throw new ProtonException(StoreErrorCodes.LockTimeout, $"{collection}/{key}: another writer held the lock for more than {LockTimeout.TotalSeconds} s.", ex);
            }

            try
            {
                var mark = OperatingSystem.IsWindows() ? null : ReleaseMark(stream);
                if (mark is null || mark == released)
                {
                    var held = new RecordLock(stream, path);
                    stream = null; // the lock owns it now
                    return held;
                }

                // Released (and, unless its holder was killed first, deleted) after it was opened here: open the path again.
                released = mark;
                if (TimeProvider.System.GetElapsedTime(started) >= LockTimeout)
                {
                    throw new ProtonException(StoreErrorCodes.LockTimeout, $"{collection}/{key}: the lock file kept being released under this writer for more than {LockTimeout.TotalSeconds} s.");
                }
            }
            finally
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The release mark in a locked file (read through its handle), or null when it has none (it is live).</summary>
    private static string? ReleaseMark(FileStream stream)
    {
        Span<byte> buffer = stackalloc byte[ReleasePrefix.Length + 33];
        var length = RandomAccess.Read(stream.SafeFileHandle, buffer, 0);
        if (length != ReleasePrefix.Length + 32)
        {
            return null;
        }

        var text = System.Text.Encoding.ASCII.GetString(buffer[..length]);
        return text.StartsWith(ReleasePrefix, StringComparison.Ordinal) && !text.AsSpan(ReleasePrefix.Length).ContainsAnyExcept("0123456789abcdef") ? text : null;
    }

    /// <summary>Another writer holds the lock (Windows reports a file being deleted on close as access denied).</summary>
    private static bool IsBusy(Exception ex) => ex is IOException || (ex is UnauthorizedAccessException && OperatingSystem.IsWindows());

    /// <summary>A held record lock: deletes its file while still holding it, then lets go.</summary>
    private sealed class RecordLock(FileStream stream, string path) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            if (!OperatingSystem.IsWindows())
            {
                try
                {
                    // Marked first, so a writer that opened this file before it is deleted knows to open the path again;
                    // never deleted unmarked (a writer locking it afterwards would take it for the live one).
                    // Written over the start, then cut to its length only when the file was longer: truncating a file to
                    // zero and writing it makes ext4 flush it on close (about 3-6 ms a lock on this project's VM).
                    var mark = System.Text.Encoding.ASCII.GetBytes(ReleasePrefix + Guid.NewGuid().ToString("N"));
                    RandomAccess.Write(stream.SafeFileHandle, mark, 0);
                    if (RandomAccess.GetLength(stream.SafeFileHandle) > mark.Length)
                    {
                        stream.SetLength(mark.Length);
                    }

                    File.Delete(path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Left behind (marked or not): the next writer locks it and takes it, or (marked) takes it on its second look.
                }
            }

            stream.Dispose();
        }
    }
}
