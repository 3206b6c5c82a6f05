using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Proton.Sdk.Aws.Storage;

namespace Proton.Sdk.IntegrationTests;

/// <summary>A table (random name, created through the store's own EnsureTableAsync) and a bucket per test, and the table's removal.</summary>
internal static class DynamoDbMoto
{
    public static async Task<DynamoDbStoreOptions> NewStoreAsync(string url)
    {
        var options = new DynamoDbStoreOptions
        {
            TableName = "proton-sdk-it-" + Guid.NewGuid().ToString("N")[..12],
            BucketName = await Moto.NewBucketAsync(url, "proton-ddb-it-"),
        };
        using var store = new DynamoDbProtonStore(options, Moto.Connection(url));
        Assert.True(await store.EnsureTableAsync());
        return options;
    }

    public static AmazonDynamoDBClient Client(string url) => new(new AmazonDynamoDBConfig { ServiceURL = url, AuthenticationRegion = "us-east-1" });

    public static async Task DeleteTableAsync(string url, string table)
    {
        using var client = Client(url);
        await client.DeleteTableAsync(new DeleteTableRequest { TableName = table });
    }
}
