using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Aws.Tests.Storage;

public sealed class S3ProtonStoreTests : IDisposable
{
    private readonly FakeS3Handler _handler = new();
    private readonly S3ProtonStore _store;

    public S3ProtonStoreTests()
    {
        _store = new S3ProtonStore(new S3StoreOptions { BucketName = "bucket" }, Connection, _handler);
    }

    internal static AwsConnectionOptions Connection => new() { ServiceUrl = "http://s3.test", ForcePathStyle = true, Region = "us-east-1", Credentials = new BasicAWSCredentials("test", "test") };

    public void Dispose()
    {
        _store.Dispose();
        _handler.Dispose();
    }

    [Fact]
    public async Task GivenClient_IsUsed_AndNotDisposedWithTheStore()
    {
        using var client = S3Clients.Create(Connection, factory: new FakeHttpClientFactory(_handler));
        using (var first = new S3ProtonStore(client, new S3StoreOptions { BucketName = "bucket", Prefix = "given/" }))
        {
            await first.PutAsync("templates", "env", Json(new { n = 1 }), null);
        }

        // The client still works after the store that used it is gone: the store did not dispose what it did not create.
        var second = new S3ProtonStore(client, new S3StoreOptions { BucketName = "bucket", Prefix = "given/" });
        Assert.NotNull(await second.GetAsync("templates", "env"));
        Assert.Contains("PUT given/records/templates/env.json", _handler.Requests);
    }

    [Fact]
    public void Options_WithoutBucket_AreRefused_ForBothConstructors()
    {
        using var client = S3Clients.Create(Connection, factory: new FakeHttpClientFactory(_handler));

        Assert.Throws<ArgumentException>(() => new S3ProtonStore(new S3StoreOptions(), Connection, _handler));
        Assert.Throws<ArgumentException>(() => new S3ProtonStore(client, new S3StoreOptions { BucketName = " " }));
        Assert.Throws<ArgumentNullException>(() => new S3ProtonStore(null!, new S3StoreOptions { BucketName = "b" }));
    }

    private static ReadOnlyMemory<byte> Json(object v) => JsonSerializer.SerializeToUtf8Bytes(v);

    [Fact]
    public async Task Put_CreateSendsIfNoneMatchAndReadsBackWithTheETagAsRevision()
    {
        var created = await _store.PutAsync("templates", "env", Json(new { n = 1 }), null);

        var read = await _store.GetAsync("templates", "env");

        Assert.Equal(created.Revision, read!.Revision);
        Assert.StartsWith("\"", created.Revision, StringComparison.Ordinal);
        Assert.Contains("PUT proton/records/templates/env.json", _handler.Requests);
        Assert.Null(await _store.GetAsync("templates", "missing"));
    }

    [Fact]
    public async Task Put_CreateWhenTheObjectExists_IsAConflictWithTheCurrentETag()
    {
        var first = await _store.PutAsync("templates", "env", Json(new { n = 1 }), null);

        var ex = await Assert.ThrowsAsync<StoreConflictException>(async () => await _store.PutAsync("templates", "env", Json(new { n = 2 }), null));

        Assert.Equal((null, first.Revision), (ex.ExpectedRevision, ex.ActualRevision));
    }

    [Fact]
    public async Task Put_UpdateWithAStaleETag_IsAConflictAndDoesNotOverwrite()
    {
        var first = await _store.PutAsync("templates", "env", Json(new { n = 1 }), null);
        var second = await _store.PutAsync("templates", "env", Json(new { n = 2 }), first.Revision);

        await Assert.ThrowsAsync<StoreConflictException>(async () => await _store.PutAsync("templates", "env", Json(new { n = 3 }), first.Revision));

        var read = await _store.GetAsync("templates", "env");
        Assert.Equal(second.Revision, read!.Revision);
        Assert.Equal(2, JsonDocument.Parse(read.Document).RootElement.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Put_RaceLostBetweenReadAndWrite_IsAConflict()
    {
        var first = await _store.PutAsync("templates", "env", Json(new { n = 1 }), null);

        // Another writer replaces the object after this writer read it, before its conditional PUT arrives.
        _handler.BeforeServe = r =>
        {
            if (r.Method == HttpMethod.Put)
            {
                _handler.BeforeServe = null;
                _handler.Set("proton/records/templates/env.json", "{\"n\": 99}");
            }
        };

        await Assert.ThrowsAsync<StoreConflictException>(async () => await _store.PutAsync("templates", "env", Json(new { n = 2 }), first.Revision));
        Assert.Equal(99, JsonDocument.Parse((await _store.GetAsync("templates", "env"))!.Document).RootElement.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Delete_WithTheCurrentETag_RemovesAndStaleDeleteConflicts()
    {
        var first = await _store.PutAsync("templates", "env", Json(new { n = 1 }), null);
        var second = await _store.PutAsync("templates", "env", Json(new { n = 2 }), first.Revision);

        await Assert.ThrowsAsync<StoreConflictException>(async () => await _store.DeleteAsync("templates", "env", first.Revision));
        await _store.DeleteAsync("templates", "env", second.Revision);

        Assert.Null(await _store.GetAsync("templates", "env"));
    }

    [Fact]
    public async Task List_FollowsContinuationTokensAndFiltersByPrefix()
    {
        foreach (var k in new[] { "env@1.0.0", "env@1.0.1", "env@2.0.0", "svc@1.0.0", "env@1.1.0" })
        {
            await _store.PutAsync("versions", k, Json(new { k }), null);
        }

        _handler.Requests.Clear();
        var env = await _store.ListAsync("versions", "env@");
        var all = await _store.ListAsync("versions");

        Assert.Equal(["env@1.0.0", "env@1.0.1", "env@1.1.0", "env@2.0.0"], env.Select(r => r.Key));
        Assert.Equal(5, all.Count);

        // Pages of two: 4 matching keys take 2 list requests, 5 keys take 3 (a list request names the bucket, no key).
        Assert.Equal(5, _handler.Requests.Count(r => r == "GET "));
    }

    [Fact]
    public async Task List_DamagedObject_IsReported()
    {
        await _store.PutAsync("templates", "ok", Json(new { n = 1 }), null);
        _handler.Set("proton/records/templates/bad.json", "{\"n\": ");

        var ex = await Assert.ThrowsAsync<StoreCorruptedException>(async () => await _store.ListAsync("templates"));

        Assert.Equal("s3://bucket/proton/records/templates/bad.json", ex.Location);
    }

    [Fact]
    public async Task Blobs_AreStoredOnceByHashAndVerifiedOnRead()
    {
        var bytes = Encoding.UTF8.GetBytes("bundle");

        var h1 = await _store.PutBlobAsync(bytes);
        var h2 = await _store.PutBlobAsync(bytes);

        Assert.Equal(h1, h2);
        Assert.Equal(bytes, (await _store.GetBlobAsync(h1))!.Value.ToArray());
        Assert.Null(await _store.GetBlobAsync(new string('a', 64)));
        _handler.Set($"proton/blobs/{h1}", "tampered");
        await Assert.ThrowsAsync<StoreCorruptedException>(async () => await _store.GetBlobAsync(h1));
    }
}
