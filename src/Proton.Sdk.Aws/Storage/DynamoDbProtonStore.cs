using System.Globalization;
using System.Net;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Aws.Storage;

/// <summary>
/// An <see cref="IProtonStore"/> in DynamoDB, for many hosts and large fleets: one item per record in one table
/// (partition key <c>pk</c> = collection, sort key <c>sk</c> = key, <c>revision</c> a counter as a string,
/// <c>document</c> the JSON bytes), conditional writes (<c>attribute_not_exists(pk)</c> on create,
/// <c>revision = :expected</c> on update and delete), strongly consistent reads, paginated queries; blobs (bundle
/// content, addressed by SHA-256) in S3, since a bundle may exceed DynamoDB's 400 KB item limit.
/// </summary>
/// <remarks>
/// Listings come back in DynamoDB's sort-key order, which is the order of the keys' UTF-8 bytes. Keys are ASCII only
/// (<see cref="StoreKeys.IsValidName"/>), and for ASCII the UTF-8 byte order is the ordinal order of the characters,
/// so the order is <see cref="StringComparer.Ordinal"/>, as every other store returns it.
/// </remarks>
public sealed class DynamoDbProtonStore : IProtonStore, IDisposable
{
    private const string PartitionKey = "pk";
    private const string SortKey = "sk";
    private const string RevisionAttribute = "revision";
    private const string DocumentAttribute = "document";

    private readonly IAmazonDynamoDB _dynamoDb;
    private readonly IAmazonS3 _s3;
    private readonly S3Blobs _blobs;
    private readonly string _table;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly bool _ownsClients;

    /// <summary>Creates a store with its own DynamoDB and S3 clients (disposed with the store).</summary>
    /// <param name="options">Table, bucket and prefix.</param>
    /// <param name="connection">Region, profile, credentials, endpoint, addressing; the SDK's chains when null.</param>
    /// <param name="transport">The HTTP handler both clients send through (not disposed by the store); the SDK's own when null.</param>
    /// <exception cref="ArgumentException">No table or no bucket.</exception>
    public DynamoDbProtonStore(DynamoDbStoreOptions options, AwsConnectionOptions? connection = null, HttpMessageHandler? transport = null)
        : this(Validated(options), Clients(connection ?? new AwsConnectionOptions(), transport), ownsClients: true)
    {
    }

    /// <summary>
    /// Creates a store over clients the caller made and configured (for example from a host's
    /// <c>AddAWSService&lt;IAmazonDynamoDB&gt;()</c>). The store does not dispose them.
    /// </summary>
    /// <param name="dynamoDb">The DynamoDB client, for records.</param>
    /// <param name="s3">The S3 client, for blobs.</param>
    /// <param name="options">Table, bucket and prefix.</param>
    /// <exception cref="ArgumentException">No table or no bucket.</exception>
    public DynamoDbProtonStore(IAmazonDynamoDB dynamoDb, IAmazonS3 s3, DynamoDbStoreOptions options)
        : this(Validated(options), dynamoDb ?? throw new ArgumentNullException(nameof(dynamoDb)), s3 ?? throw new ArgumentNullException(nameof(s3)), ownsClients: false)
    {
    }

    private DynamoDbProtonStore(DynamoDbStoreOptions options, (IAmazonDynamoDB DynamoDb, IAmazonS3 S3) clients, bool ownsClients)
        : this(options, clients.DynamoDb, clients.S3, ownsClients)
    {
    }

    private static (IAmazonDynamoDB, IAmazonS3) Clients(AwsConnectionOptions connection, HttpMessageHandler? transport)
        => (DynamoDbClients.Create(connection, transport), S3Clients.Create(connection, transport: transport));

    private DynamoDbProtonStore(DynamoDbStoreOptions options, IAmazonDynamoDB dynamoDb, IAmazonS3 s3, bool ownsClients)
    {
        _dynamoDb = dynamoDb;
        _s3 = s3;
        _table = options.TableName;
        _bucket = options.BucketName;
        _prefix = options.Prefix ?? string.Empty;
        _blobs = new S3Blobs(s3, _bucket, _prefix);
        _ownsClients = ownsClients;
    }

    private static DynamoDbStoreOptions Validated(DynamoDbStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.TableName, nameof(options) + "." + nameof(options.TableName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.BucketName, nameof(options) + "." + nameof(options.BucketName));
        return options;
    }

    /// <summary>
    /// Creates the table when it does not exist (on-demand capacity, <c>pk</c> and <c>sk</c> string keys) and waits until
    /// it is ACTIVE; checks the key schema of a table that exists. Safe to call from many hosts at once.
    /// </summary>
    /// <param name="cancellationToken">Cancels the creation or the wait.</param>
    /// <returns>True when this call created the table.</returns>
    /// <exception cref="InvalidOperationException">The table exists with other keys.</exception>
    public async ValueTask<bool> EnsureTableAsync(CancellationToken cancellationToken = default)
    {
        var created = false;
        var table = await DescribeTableAsync(cancellationToken).ConfigureAwait(false);
        if (table is null)
        {
            try
            {
                await _dynamoDb.CreateTableAsync(new CreateTableRequest
                {
                    TableName = _table,
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    AttributeDefinitions = [new AttributeDefinition(PartitionKey, ScalarAttributeType.S), new AttributeDefinition(SortKey, ScalarAttributeType.S)],
                    KeySchema = [new KeySchemaElement(PartitionKey, KeyType.HASH), new KeySchemaElement(SortKey, KeyType.RANGE)],
                }, cancellationToken).ConfigureAwait(false);
                created = true;
            }
            catch (ResourceInUseException)
            {
                // Another host created it first: wait for it like for our own.
            }
        }

        for (var delay = TimeSpan.FromMilliseconds(200); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks)))
        {
            table = await DescribeTableAsync(cancellationToken).ConfigureAwait(false);
            if (table is not null && table.TableStatus == TableStatus.ACTIVE)
            {
                break;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }

        var keys = (table.KeySchema ?? []).Select(k => (k.AttributeName, k.KeyType.Value)).ToList();
        if (!keys.Contains((PartitionKey, KeyType.HASH.Value)) || !keys.Contains((SortKey, KeyType.RANGE.Value)) || keys.Count != 2)
        {
            throw new InvalidOperationException($"The DynamoDB table '{_table}' exists but its keys are not '{PartitionKey}' (partition) and '{SortKey}' (sort); give the store a table of its own.");
        }

        return created;
    }

    /// <summary>Checks that the blob bucket exists and can be listed under the prefix (one request); the store never creates it.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>True when the bucket exists; false when there is no such bucket. Other failures (access denied) throw.</returns>
    public ValueTask<bool> BlobBucketExistsAsync(CancellationToken cancellationToken = default) => _blobs.BucketExistsAsync(cancellationToken);

    private async ValueTask<TableDescription?> DescribeTableAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await _dynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = _table }, cancellationToken).ConfigureAwait(false)).Table;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    private static Dictionary<string, AttributeValue> Key(string collection, string key) => new()
    {
        [PartitionKey] = new AttributeValue { S = collection },
        [SortKey] = new AttributeValue { S = key },
    };

    private string Location(string collection, string key) => $"dynamodb://{_table}/{collection}/{key}";

    /// <inheritdoc />
    public async ValueTask<StoredRecord?> GetAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        StoreKeys.ValidateName(key, nameof(key));
        return await ReadAsync(collection, key, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<StoredRecord?> ReadAsync(string collection, string key, CancellationToken cancellationToken)
    {
        GetItemResponse response;
        try
        {
            response = await _dynamoDb.GetItemAsync(new GetItemRequest { TableName = _table, Key = Key(collection, key), ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException ex)
        {
            throw NoTable(ex);
        }

        return response.Item is { Count: > 0 } item ? ToRecord(collection, key, item) : null;
    }

    private StoredRecord ToRecord(string collection, string key, Dictionary<string, AttributeValue> item)
    {
        if (!item.TryGetValue(RevisionAttribute, out var revision) || revision.S is not { } text
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            throw new StoreCorruptedException(Location(collection, key), $"the item has no valid '{RevisionAttribute}' (a positive integer as a string)");
        }

        if (!item.TryGetValue(DocumentAttribute, out var document) || document.B is null)
        {
            throw new StoreCorruptedException(Location(collection, key), $"the item has no binary '{DocumentAttribute}'");
        }

        var bytes = document.B.ToArray();
        try
        {
            using var _ = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new StoreCorruptedException(Location(collection, key), $"not a valid JSON record ({ex.Message})");
        }

        return new StoredRecord(collection, key, text, bytes);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredRecord>> ListAsync(string collection, string? keyPrefix = null, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        var values = new Dictionary<string, AttributeValue> { [":pk"] = new AttributeValue { S = collection } };
        var condition = $"{PartitionKey} = :pk";
        if (!string.IsNullOrEmpty(keyPrefix))
        {
            values[":prefix"] = new AttributeValue { S = keyPrefix };
            condition += $" AND begins_with({SortKey}, :prefix)";
        }

        var result = new List<StoredRecord>();
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            QueryResponse page;
            try
            {
                page = await _dynamoDb.QueryAsync(new QueryRequest
                {
                    TableName = _table,
                    KeyConditionExpression = condition,
                    ExpressionAttributeValues = values,
                    ConsistentRead = true,
                    ExclusiveStartKey = startKey,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (ResourceNotFoundException ex)
            {
                throw NoTable(ex);
            }

            foreach (var item in page.Items ?? [])
            {
                var key = item.TryGetValue(SortKey, out var sk) && sk.S is { } s ? s : throw new StoreCorruptedException($"dynamodb://{_table}/{collection}", $"an item has no string '{SortKey}'");
                result.Add(ToRecord(collection, key, item));
            }

            startKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (startKey is not null);

        // Already in key order: DynamoDB returns a partition in sort-key (UTF-8 byte) order, which for the ASCII keys
        // StoreKeys allows is the ordinal order.
        return result;
    }

    /// <inheritdoc />
    public async ValueTask<StoredRecord> PutAsync(string collection, string key, ReadOnlyMemory<byte> document, string? expectedRevision, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        StoreKeys.ValidateName(key, nameof(key));
        string next;
        var request = new PutItemRequest { TableName = _table };
        if (expectedRevision is null)
        {
            next = "1";
            request.ConditionExpression = $"attribute_not_exists({PartitionKey})";
        }
        else if (long.TryParse(expectedRevision, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1)
        {
            next = (number + 1).ToString(CultureInfo.InvariantCulture);
            request.ConditionExpression = $"{RevisionAttribute} = :expected";
            request.ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":expected"] = new AttributeValue { S = expectedRevision } };
        }
        else
        {
            // Not a revision this store ever wrote, so it cannot match.
            throw await ConflictAsync(collection, key, expectedRevision, cancellationToken).ConfigureAwait(false);
        }

        var bytes = document.ToArray();
        request.Item = Key(collection, key);
        request.Item[RevisionAttribute] = new AttributeValue { S = next };
        request.Item[DocumentAttribute] = new AttributeValue { B = new MemoryStream(bytes) };
        try
        {
            await _dynamoDb.PutItemAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            throw await ConflictAsync(collection, key, expectedRevision, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException ex)
        {
            throw NoTable(ex);
        }

        return new StoredRecord(collection, key, next, bytes);
    }

    /// <inheritdoc />
    public async ValueTask DeleteAsync(string collection, string key, string expectedRevision, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        StoreKeys.ValidateName(key, nameof(key));
        ArgumentNullException.ThrowIfNull(expectedRevision);
        try
        {
            await _dynamoDb.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = _table,
                Key = Key(collection, key),
                ConditionExpression = $"{RevisionAttribute} = :expected",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":expected"] = new AttributeValue { S = expectedRevision } },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            throw await ConflictAsync(collection, key, expectedRevision, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException ex)
        {
            throw NoTable(ex);
        }
    }

    /// <summary>A read or write found no table: a typed error that says how to create it (the store never does on its own).</summary>
    private ProtonException NoTable(ResourceNotFoundException ex)
        => new(StoreErrorCodes.Missing, $"The DynamoDB table '{_table}' does not exist: create it with DynamoDbProtonStore.EnsureTableAsync or 'proton store init --store dynamodb://{_table}?blobs=s3://{_bucket}/{_prefix}'.", ex);

    /// <summary>The conflict, with the revision found now (read back; null when there is no record or it is damaged).</summary>
    private async ValueTask<StoreConflictException> ConflictAsync(string collection, string key, string? expectedRevision, CancellationToken cancellationToken)
    {
        string? actual;
        try
        {
            actual = (await ReadAsync(collection, key, cancellationToken).ConfigureAwait(false))?.Revision;
        }
        catch (StoreCorruptedException)
        {
            actual = null;
        }

        return new StoreConflictException(collection, key, expectedRevision, actual);
    }

    /// <inheritdoc />
    public ValueTask<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => _blobs.PutAsync(content, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>?> GetBlobAsync(string hash, CancellationToken cancellationToken = default) => _blobs.GetAsync(hash, cancellationToken);

    /// <summary>Disposes the clients if the store created them; clients given to the constructor are left to their owner.</summary>
    public void Dispose()
    {
        if (_ownsClients)
        {
            _dynamoDb.Dispose();
            _s3.Dispose();
        }
    }
}
