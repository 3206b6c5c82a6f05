using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Proton.Sdk.Aws.CloudFormation;

namespace Proton.Sdk.Aws.Storage;

/// <summary>Builds DynamoDB clients from the shared connection settings.</summary>
internal static class DynamoDbClients
{
    /// <summary>A client for <paramref name="connection"/>: its endpoint (or <c>AWS_ENDPOINT_URL_DYNAMODB</c> / <c>AWS_ENDPOINT_URL</c>), region, credentials.</summary>
    public static AmazonDynamoDBClient Create(AwsConnectionOptions connection, HttpMessageHandler? transport = null, HttpClientFactory? factory = null)
    {
        var region = AwsConnection.ResolveRegion(connection);
        var credentials = AwsConnection.ResolveCredentials(connection);
        var config = new AmazonDynamoDBConfig();
        AwsConnection.Configure(config, connection, "DYNAMODB", region, transport, factory);

        return new AmazonDynamoDBClient(credentials, config);
    }
}
