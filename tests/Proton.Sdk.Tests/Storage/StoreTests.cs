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
}
