using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Aws.Tests.Storage;

public sealed class DynamoDbProtonStoreTests : IDisposable
{
    private readonly FakeDynamoDbHandler _handler = new();
    private readonly DynamoDbProtonStore _store;

    public DynamoDbProtonStoreTests()
    {
        _store = new DynamoDbProtonStore(Options, Connection, _handler);
    }

    internal static DynamoDbStoreOptions Options => new() { TableName = "proton", BucketName = "blobs" };

    internal static AwsConnectionOptions Connection => S3ProtonStoreTests.Connection;

    public void Dispose()
    {
        _store.Dispose();
        _handler.Dispose();
    }

    private static ReadOnlyMemory<byte> Json(object v) => JsonSerializer.SerializeToUtf8Bytes(v);

    private static JsonObject Item(string? revision, string? documentBase64)
    {
        var item = new JsonObject();
        if (revision is not null)
        {
            item["revision"] = new JsonObject { ["S"] = revision };
        }

        if (documentBase64 is not null)
        {
            item["document"] = new JsonObject { ["B"] = documentBase64 };
        }

        return item;
    }

    [Fact]
    public async Task Put_CreateThenUpdate_CountsRevisionsAndSendsConditions()
    {
        var created = await _store.PutAsync("templates", "env", Json(new { n = 1 }), null);
        var updated = await _store.PutAsync("templates", "env", Json(new { n = 2 }), created.Revision);

        Assert.Equal(("1", "2"), (created.Revision, updated.Revision));
        var read = await _store.GetAsync("templates", "env");
        Assert.Equal("2", read!.Revision);
        Assert.Equal(2, JsonDocument.Parse(read.Document).RootElement.GetProperty("n").GetInt32());
        Assert.Equal(["PutItem", "PutItem", "GetItem"], _handler.Requests);
    }

    [Fact]
    public async Task Put_CreateWhenTheItemExists_IsAConflictWithTheRevisionReadBack()
    {
        var first = await _store.PutAsync("templates", "env", Json(new { n = 1 }), null);
        await _store.PutAsync("templates", "env", Json(new { n = 2 }), first.Revision);

        var ex = await Assert.ThrowsAsync<StoreConflictException>(async () => await _store.PutAsync("templates", "env", Json(new { n = 3 }), null));

        Assert.Equal(("store.conflict", null, "2"), (ex.ErrorCode, ex.ExpectedRevision, ex.ActualRevision));
    }

    [Fact]
    public async Task Put_RaceLostBetweenReadAndWrite_IsAConflictAndKeepsTheOtherWrite()
    {
        var first = await _store.PutAsync("templates", "env", Json(new { n = 1 }), null);

        // Another writer replaces the item after this writer read it, before its conditional PutItem arrives.
        _handler.BeforeServe = op =>
        {
            if (op == "PutItem")
            {
                _handler.BeforeServe = null;
                _handler.Set("templates", "env", Item("2", Convert.ToBase64String("{\"n\": 99}"u8)));
            }
        };

        var ex = await Assert.ThrowsAsync<StoreConflictException>(async () => await _store.PutAsync("templates", "env", Json(new { n = 2 }), first.Revision));

        Assert.Equal(("1", "2"), (ex.ExpectedRevision, ex.ActualRevision));
        Assert.Equal(99, JsonDocument.Parse((await _store.GetAsync("templates", "env"))!.Document).RootElement.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Put_WithARevisionThisStoreNeverWrote_IsAConflictWithoutAWrite()
    {
        await _store.PutAsync("templates", "env", Json(new { n = 1 }), null);

        var ex = await Assert.ThrowsAsync<StoreConflictException>(async () => await _store.PutAsync("templates", "env", Json(new { n = 2 }), "\"etag\""));

        Assert.Equal("1", ex.ActualRevision);
        Assert.Single(_handler.Requests, r => r == "PutItem");
    }

    [Fact]
    public async Task Delete_StaleOrMissing_IsAConflict_CurrentRemoves()
    {
        var first = await _store.PutAsync("templates", "env", Json(new { n = 1 }), null);
        var second = await _store.PutAsync("templates", "env", Json(new { n = 2 }), first.Revision);

        var stale = await Assert.ThrowsAsync<StoreConflictException>(async () => await _store.DeleteAsync("templates", "env", first.Revision));
        await _store.DeleteAsync("templates", "env", second.Revision);
        var gone = await Assert.ThrowsAsync<StoreConflictException>(async () => await _store.DeleteAsync("templates", "env", second.Revision));

        Assert.Equal("2", stale.ActualRevision);
        Assert.Null(gone.ActualRevision);
        Assert.Null(await _store.GetAsync("templates", "env"));
    }

    [Fact]
    public async Task List_FollowsLastEvaluatedKeyAndFiltersByPrefixInOrdinalOrder()
    {
        foreach (var k in new[] { "env@1.0.1", "env@1.0.0", "env@2.0.0", "svc@1.0.0", "env@1.1.0", "Env@9.0.0" })
        {
            await _store.PutAsync("versions", k, Json(new { k }), null);
        }

        _handler.Requests.Clear();
        var env = await _store.ListAsync("versions", "env@");
        var all = await _store.ListAsync("versions");

        Assert.Equal(["env@1.0.0", "env@1.0.1", "env@1.1.0", "env@2.0.0"], env.Select(r => r.Key));
        Assert.Equal(all.Select(r => r.Key).Order(StringComparer.Ordinal), all.Select(r => r.Key));
        Assert.Equal(6, all.Count);

        // Pages of two: 4 matching keys take 2 queries, 6 keys take 3; no item is read on its own.
        Assert.Equal(5, _handler.Requests.Count(r => r == "Query"));
        Assert.DoesNotContain("GetItem", _handler.Requests);
    }

    [Fact]
    public async Task List_TwoHundredRecords_IsReadInPagesNotOneGetEach()
    {
        _handler.PageSize = 100;
        for (var i = 0; i < 200; i++)
        {
            _handler.Set("deployments", $"d{i:D4}", Item("1", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"i\":{i}}}"))));
        }

        var records = await _store.ListAsync("deployments");

        Assert.Equal(200, records.Count);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"d{i:D4}"), records.Select(r => r.Key));
        Assert.Equal(["Query", "Query"], _handler.Requests);
    }

    [Theory]
    [InlineData(null, "e30=", "revision")]
    [InlineData("x", "e30=", "revision")]
    [InlineData("1", null, "document")]
    [InlineData("1", "eyJuIjog", "JSON")]
    public async Task DamagedItem_IsReportedByGetAndList_NamingTheItem(string? revision, string? document, string reason)
    {
        await _store.PutAsync("templates", "ok", Json(new { n = 1 }), null);
        _handler.Set("templates", "bad", Item(revision, document));

        var listed = await Assert.ThrowsAsync<StoreCorruptedException>(async () => await _store.ListAsync("templates"));
        var read = await Assert.ThrowsAsync<StoreCorruptedException>(async () => await _store.GetAsync("templates", "bad"));

        Assert.Equal(("store.corrupt", "dynamodb://proton/templates/bad"), (listed.ErrorCode, listed.Location));
        Assert.Equal("dynamodb://proton/templates/bad", read.Location);
        Assert.Contains(reason, read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blobs_GoToS3ByHash_AndAreVerifiedOnRead()
    {
        var bytes = Encoding.UTF8.GetBytes("bundle");

        var h1 = await _store.PutBlobAsync(bytes);
        var h2 = await _store.PutBlobAsync(bytes);

        Assert.Equal(h1, h2);
        Assert.Contains($"PUT proton/blobs/{h1}", _handler.S3.Requests);
        Assert.Equal(bytes, (await _store.GetBlobAsync(h1))!.Value.ToArray());
        _handler.S3.Set($"proton/blobs/{h1}", "tampered");
        var ex = await Assert.ThrowsAsync<StoreCorruptedException>(async () => await _store.GetBlobAsync(h1));
        Assert.Equal($"s3://blobs/proton/blobs/{h1}", ex.Location);
    }

    [Fact]
    public async Task EnsureTable_CreatesAMissingTableOnce()
    {
        _handler.TableExists = false;

        Assert.True(await _store.EnsureTableAsync());
        Assert.False(await _store.EnsureTableAsync());
        Assert.Single(_handler.Requests, r => r == "CreateTable");
    }

    [Fact]
    public async Task EnsureTable_OnATableWithOtherKeys_IsRefused()
    {
        _handler.SortKeyName = "id";

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await _store.EnsureTableAsync());

        Assert.Contains("'proton'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CreateTable", _handler.Requests);
    }

    [Fact]
    public async Task GivenClients_AreUsed_AndNotDisposedWithTheStore()
    {
        using var dynamoDb = DynamoDbClients.Create(Connection, factory: new FakeHttpClientFactory(_handler));
        using var s3 = S3Clients.Create(Connection, factory: new FakeHttpClientFactory(_handler));
        using (var first = new DynamoDbProtonStore(dynamoDb, s3, Options))
        {
            await first.PutAsync("templates", "env", Json(new { n = 1 }), null);
        }

        var second = new DynamoDbProtonStore(dynamoDb, s3, Options);
        Assert.Equal("1", (await second.GetAsync("templates", "env"))!.Revision);
    }

    [Fact]
    public void Options_WithoutTableOrBucket_AreRefused_ForBothConstructors()
    {
        using var dynamoDb = DynamoDbClients.Create(Connection, factory: new FakeHttpClientFactory(_handler));
        using var s3 = S3Clients.Create(Connection, factory: new FakeHttpClientFactory(_handler));

        Assert.Throws<ArgumentException>(() => new DynamoDbProtonStore(new DynamoDbStoreOptions { BucketName = "b" }, Connection, _handler));
        Assert.Throws<ArgumentException>(() => new DynamoDbProtonStore(dynamoDb, s3, new DynamoDbStoreOptions { TableName = "t", BucketName = " " }));
        Assert.Throws<ArgumentNullException>(() => new DynamoDbProtonStore(null!, s3, Options));
        Assert.Throws<ArgumentNullException>(() => new DynamoDbProtonStore(dynamoDb, null!, Options));
    }
}

public sealed class DynamoDbStoreContractTests : Proton.Sdk.Tests.Storage.StoreContractTests
{
    private readonly FakeDynamoDbHandler _handler = new();
    private DynamoDbProtonStore? _store;

    protected override IProtonStore Store => _store ??= new DynamoDbProtonStore(DynamoDbProtonStoreTests.Options, DynamoDbProtonStoreTests.Connection, _handler);

    public override void Dispose()
    {
        _store?.Dispose();
        _handler.Dispose();
        base.Dispose();
    }
}
