using System.Text;
using System.Text.Json;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Tests.Storage;

public sealed class InMemoryStoreTests : StoreContractTests
{
    protected override IProtonStore Store { get; } = new InMemoryProtonStore();
}

public sealed class FileSystemStoreTests : StoreContractTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proton-store-").FullName;
    private FileSystemProtonStore? _store;

    protected override IProtonStore Store => _store ??= new FileSystemProtonStore(_dir);

    public override void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        base.Dispose();
    }

    [Fact]
    public async Task DamagedRecord_IsReportedNotSkipped()
    {
        await Store.PutAsync("templates", "a", JsonSerializer.SerializeToUtf8Bytes(new { v = 1 }), null);
        await Store.PutAsync("templates", "b", JsonSerializer.SerializeToUtf8Bytes(new { v = 1 }), null);
        await File.WriteAllTextAsync(Path.Combine(_dir, "records", "templates", "b.json"), "{\"revision\": \"1\", \"docu");

        var ex = await Assert.ThrowsAsync<StoreCorruptedException>(async () => await Store.ListAsync("templates"));

        Assert.Equal("store.corrupt", ex.ErrorCode);
        Assert.EndsWith("b.json", ex.Location, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StoreCorruptedException>(async () => await Store.GetAsync("templates", "b"));
    }

    [Fact]
    public async Task WriterKilledMidWrite_LeavesALoadableStore()
    {
        await Store.PutAsync("templates", "a", JsonSerializer.SerializeToUtf8Bytes(new { v = 1 }), null);

        // What a writer killed before its rename leaves behind: a partial temporary file beside the record.
        await File.WriteAllTextAsync(Path.Combine(_dir, "records", "templates", "a.json.tmp-0123456789abcdef"), "{\"revision\": \"2\", \"docum");

        var records = await new FileSystemProtonStore(_dir).ListAsync("templates");
        Assert.Equal("1", Assert.Single(records).Revision);
    }

    [Fact]
    public async Task DamagedBlob_IsReported()
    {
        var hash = await Store.PutBlobAsync(Encoding.UTF8.GetBytes("x"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "blobs", hash[..2], hash), "tampered");

        await Assert.ThrowsAsync<StoreCorruptedException>(async () => await Store.GetBlobAsync(hash));
    }

    [Fact]
    public async Task TwoStoreInstancesOnOneFolder_SeeEachOthersWritesAndConflicts()
    {
        var other = new FileSystemProtonStore(_dir);
        var r = await Store.PutAsync("templates", "a", JsonSerializer.SerializeToUtf8Bytes(new { v = 1 }), null);
        await other.PutAsync("templates", "a", JsonSerializer.SerializeToUtf8Bytes(new { v = 2 }), r.Revision);

        await Assert.ThrowsAsync<StoreConflictException>(async () => await Store.PutAsync("templates", "a", JsonSerializer.SerializeToUtf8Bytes(new { v = 3 }), r.Revision));
    }

    private string[] LockFiles() => Directory.Exists(Path.Combine(_dir, "locks")) ? Directory.GetFiles(Path.Combine(_dir, "locks"), "*", SearchOption.AllDirectories) : [];

    private static async Task IncrementAsync(IProtonStore store, string key, int times)
    {
        for (var i = 0; i < times; i++)
        {
            while (true)
            {
                var r = (await store.GetAsync("counters", key))!;
                var n = JsonDocument.Parse(r.Document).RootElement.GetProperty("n").GetInt32();
                try
                {
                    await store.PutAsync("counters", key, JsonSerializer.SerializeToUtf8Bytes(new { n = n + 1 }), r.Revision);
                    break;
                }
                catch (StoreConflictException)
                {
                }
            }
        }
    }

    private static int Counter(StoredRecord? r) => JsonDocument.Parse(r!.Document).RootElement.GetProperty("n").GetInt32();

    [Fact]
    public async Task ManyWritesAndDeletes_LeaveNoLockFile()
    {
        for (var i = 0; i < 50; i++)
        {
            var r = await Store.PutAsync("templates", $"t{i}", JsonSerializer.SerializeToUtf8Bytes(new { v = 1 }), null);
            r = await Store.PutAsync("templates", $"t{i}", JsonSerializer.SerializeToUtf8Bytes(new { v = 2 }), r.Revision);
            if (i % 2 == 0)
            {
                await Store.DeleteAsync("templates", $"t{i}", r.Revision);
            }
        }

        // A write refused on a conflict releases its lock too.
        await Assert.ThrowsAsync<StoreConflictException>(async () => await Store.PutAsync("templates", "t1", JsonSerializer.SerializeToUtf8Bytes(new { v = 3 }), "1"));

        Assert.Empty(LockFiles());
        Assert.Equal(25, (await Store.ListAsync("templates")).Count);
    }

    [Theory]
    [InlineData("{\"revision\": \"1\", \"document\": {\"v\": 1}} trailing")]
    [InlineData("{\"document\": {\"v\": 1}}")]
    [InlineData("{\"revision\": \"1\"}")]
    [InlineData("{\"revision\": 1, \"document\": {\"v\": 1}}")]
    [InlineData("[1]")]
    public async Task RecordFilesWithoutARevisionAndADocument_AreReported(string text)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "records", "templates"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "records", "templates", "b.json"), text);

        var ex = await Assert.ThrowsAsync<StoreCorruptedException>(async () => await Store.GetAsync("templates", "b"));

        Assert.EndsWith("b.json", ex.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecordReadsBackAsItsDocument_WhateverTheOrderOfTheFile()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "records", "templates"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "records", "templates", "b.json"), "{ \"document\": {\"v\": [1, \"x\"]}, \"extra\": {\"y\": 2}, \"revision\": \"7\" }\n");

        var r = (await Store.GetAsync("templates", "b"))!;

        Assert.Equal(("7", "{\"v\": [1, \"x\"]}"), (r.Revision, System.Text.Encoding.UTF8.GetString(r.Document.Span)));
    }

    [Fact]
    public async Task LockFileWithLongerContentLeftBehind_IsTakenAndRemoved()
    {
        // Not a release mark (longer than one): a live file at the path. Its holder marks it over its start and cuts it.
        Directory.CreateDirectory(Path.Combine(_dir, "locks", "templates"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "locks", "templates", "a.lock"), "released " + Guid.NewGuid().ToString("N") + new string('x', 100));
        var store = new FileSystemProtonStore(_dir) { LockTimeout = TimeSpan.FromSeconds(3) };

        await store.PutAsync("templates", "a", JsonSerializer.SerializeToUtf8Bytes(new { v = 1 }), null);
        await store.PutAsync("templates", "a", JsonSerializer.SerializeToUtf8Bytes(new { v = 2 }), "1");

        Assert.Empty(LockFiles());
    }

    [Fact]
    public async Task LockFileMarkedReleasedByAWriterKilledBeforeDeletingIt_IsTakenAndRemoved()
    {
        // A holder marks its lock file released, then deletes it; killed between the two, it leaves a marked file at the
        // path. The next writer sees the mark, opens the path again, finds the same mark and knows the file is the one at
        // the path: it takes it (without this, every writer would wait for the lock until its timeout).
        Directory.CreateDirectory(Path.Combine(_dir, "locks", "templates"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "locks", "templates", "a.lock"), "released " + Guid.NewGuid().ToString("N"));
        var store = new FileSystemProtonStore(_dir) { LockTimeout = TimeSpan.FromSeconds(3) };

        await store.PutAsync("templates", "a", JsonSerializer.SerializeToUtf8Bytes(new { v = 1 }), null);

        Assert.Empty(LockFiles());
        Assert.NotNull(await store.GetAsync("templates", "a"));
    }

    [Fact]
    public async Task LockFileLeftByAKilledWriter_IsTakenAndRemoved()
    {
        // A process killed while it held a lock leaves the file (the OS released the lock itself).
        Directory.CreateDirectory(Path.Combine(_dir, "locks", "templates"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "locks", "templates", "a.lock"), string.Empty);

        await Store.PutAsync("templates", "a", JsonSerializer.SerializeToUtf8Bytes(new { v = 1 }), null);

        Assert.Empty(LockFiles());
    }

    [Fact]
    public async Task ConcurrentWritersOnSeparateStoreInstances_LoseNoUpdate_AndLeaveNoLockFile()
    {
        // Each writer has its own store over the folder, as separate processes would; they hammer two records, so lock
        // files are created and deleted under each other's feet all the time.
        foreach (var key in new[] { "x", "y" })
        {
            await Store.PutAsync("counters", key, JsonSerializer.SerializeToUtf8Bytes(new { n = 0 }), null);
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() => IncrementAsync(new FileSystemProtonStore(_dir), w % 2 == 0 ? "x" : "y", 40))));

        Assert.Equal((160, 160), (Counter(await Store.GetAsync("counters", "x")), Counter(await Store.GetAsync("counters", "y"))));
        Assert.Empty(LockFiles());
    }
}
