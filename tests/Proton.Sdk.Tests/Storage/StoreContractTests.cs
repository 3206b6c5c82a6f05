using System.Text;
using System.Text.Json;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IProtonStore"/> shares; each store runs it (the in-memory and file stores here, the
/// DynamoDB store in Proton.Sdk.Aws.Tests against a fake and in Proton.Sdk.IntegrationTests against moto, which link
/// this file). Skippable: the moto run skips, with the reason, where no endpoint is configured.
/// </summary>
public abstract class StoreContractTests : IDisposable
{
    protected abstract IProtonStore Store { get; }

    private static ReadOnlyMemory<byte> Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    [SkippableFact]
    public async Task Put_Create_ThenReadBack()
    {
        var created = await Store.PutAsync("templates", "vpc-env", Json(new { name = "vpc-env" }), null);

        var read = await Store.GetAsync("templates", "vpc-env");

        Assert.Equal(created.Revision, read!.Revision);
        Assert.Equal("vpc-env", JsonDocument.Parse(read.Document).RootElement.GetProperty("name").GetString());
        Assert.Null(await Store.GetAsync("templates", "missing"));
    }

    [SkippableFact]
    public async Task Put_CreateTwice_IsAConflict()
    {
        await Store.PutAsync("templates", "a", Json(new { v = 1 }), null);

        var ex = await Assert.ThrowsAsync<StoreConflictException>(async () => await Store.PutAsync("templates", "a", Json(new { v = 2 }), null));

        Assert.Equal(("store.conflict", null, "1"), (ex.ErrorCode, ex.ExpectedRevision, ex.ActualRevision));
    }

    [SkippableFact]
    public async Task Put_StaleRevision_IsAConflictAndDoesNotOverwrite()
    {
        var first = await Store.PutAsync("templates", "a", Json(new { v = 1 }), null);
        await Store.PutAsync("templates", "a", Json(new { v = 2 }), first.Revision);

        await Assert.ThrowsAsync<StoreConflictException>(async () => await Store.PutAsync("templates", "a", Json(new { v = 3 }), first.Revision));

        Assert.Equal(2, JsonDocument.Parse((await Store.GetAsync("templates", "a"))!.Document).RootElement.GetProperty("v").GetInt32());
    }

    [SkippableFact]
    public async Task Delete_AtRevision_RemovesAndStaleDeleteConflicts()
    {
        var r = await Store.PutAsync("templates", "a", Json(new { v = 1 }), null);
        var r2 = await Store.PutAsync("templates", "a", Json(new { v = 2 }), r.Revision);

        await Assert.ThrowsAsync<StoreConflictException>(async () => await Store.DeleteAsync("templates", "a", r.Revision));
        await Store.DeleteAsync("templates", "a", r2.Revision);

        Assert.Null(await Store.GetAsync("templates", "a"));
    }

    [SkippableFact]
    public async Task List_ByPrefix_IsOrderedByKey()
    {
        foreach (var k in new[] { "b@2.0.0", "a@1.0.0", "b@1.0.0", "c@1.0.0" })
        {
            await Store.PutAsync("versions", k, Json(new { k }), null);
        }

        Assert.Equal(["b@1.0.0", "b@2.0.0"], (await Store.ListAsync("versions", "b@")).Select(r => r.Key));
        Assert.Equal(4, (await Store.ListAsync("versions")).Count);
        Assert.Empty(await Store.ListAsync("nothing"));
    }

    [SkippableFact]
    public async Task Blobs_AreContentAddressedAndIdempotent()
    {
        var bytes = Encoding.UTF8.GetBytes("bundle content");

        var h1 = await Store.PutBlobAsync(bytes);
        var h2 = await Store.PutBlobAsync(bytes);

        Assert.Equal(h1, h2);
        Assert.Equal(64, h1.Length);
        Assert.Equal(bytes, (await Store.GetBlobAsync(h1))!.Value.ToArray());
        Assert.Null(await Store.GetBlobAsync(new string('0', 64)));
    }

    [SkippableTheory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("")]
    public async Task Put_UnsafeKey_IsRefused(string key)
    {
        var store = Store; // Outside the assertion, so that a store that cannot run (no endpoint) skips rather than fails it.

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.PutAsync("templates", key, Json(new { }), null));
    }

    /// <summary>Why this store's endpoint cannot prove atomic conditional writes under concurrency, or null when it can.</summary>
    protected virtual string? ConcurrencyUnprovableBecause => null;

    [SkippableFact]
    public async Task ConcurrentIncrements_LoseNoUpdate()
    {
        Skip.If(ConcurrencyUnprovableBecause is not null, ConcurrencyUnprovableBecause);
        await Store.PutAsync("counters", "n", Json(new { n = 0 }), null);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                while (true)
                {
                    var r = (await Store.GetAsync("counters", "n"))!;
                    var n = JsonDocument.Parse(r.Document).RootElement.GetProperty("n").GetInt32();
                    try
                    {
                        await Store.PutAsync("counters", "n", Json(new { n = n + 1 }), r.Revision);
                        break;
                    }
                    catch (StoreConflictException)
                    {
                    }
                }
            }
        })));

        Assert.Equal(80, JsonDocument.Parse((await Store.GetAsync("counters", "n"))!.Document).RootElement.GetProperty("n").GetInt32());
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
