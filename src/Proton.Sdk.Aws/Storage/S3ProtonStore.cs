using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Proton.Sdk.Storage;
using Proton.Sdk.Aws.CloudFormation;

namespace Proton.Sdk.Aws.Storage;

/// <summary>
/// An <see cref="IProtonStore"/> in S3, so that many CI runners and hosts share one registry: one object per record,
/// <c>If-None-Match: *</c> on create and <c>If-Match: &lt;ETag&gt;</c> on update and delete (the ETag is the revision),
/// paginated listings, and blobs addressed by SHA-256.
/// </summary>
public sealed class S3ProtonStore : IProtonStore, IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly bool _ownsClient;
    private const int ReadConcurrency = 16;
    private readonly S3Blobs _blobs;

    /// <summary>Creates a store with its own S3 client (disposed with the store).</summary>
    /// <param name="options">Bucket and prefix.</param>
    /// <param name="connection">Region, profile, credentials, endpoint, addressing; the SDK's chains when null.</param>
    /// <param name="transport">The HTTP handler the S3 client sends through (not disposed by the store); the SDK's own when null.</param>
    /// <exception cref="ArgumentException">No bucket.</exception>
    public S3ProtonStore(S3StoreOptions options, AwsConnectionOptions? connection = null, HttpMessageHandler? transport = null)
        : this(Validated(options), S3Clients.Create(connection ?? new AwsConnectionOptions(), transport: transport), ownsClient: true)
    {
    }

    /// <summary>
    /// Creates a store over an S3 client the caller made and configured (for example one from a host's
    /// <c>AddAWSService&lt;IAmazonS3&gt;()</c>). The store does not dispose it.
    /// </summary>
    /// <param name="s3">The client.</param>
    /// <param name="options">Bucket and prefix.</param>
    /// <exception cref="ArgumentException">No bucket.</exception>
    public S3ProtonStore(IAmazonS3 s3, S3StoreOptions options)
        : this(Validated(options), s3 ?? throw new ArgumentNullException(nameof(s3)), ownsClient: false)
    {
    }

    private S3ProtonStore(S3StoreOptions options, IAmazonS3 s3, bool ownsClient)
    {
        _s3 = s3;
        _bucket = options.BucketName;
        _prefix = options.Prefix ?? string.Empty;
        _blobs = new S3Blobs(s3, _bucket, _prefix);
        _ownsClient = ownsClient;
    }

    private static S3StoreOptions Validated(S3StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.BucketName, nameof(options) + "." + nameof(options.BucketName));
        return options;
    }

    /// <summary>
    /// Checks that the bucket exists and can be listed under the prefix (one request). The store never creates a bucket:
    /// buckets carry policies, encryption and lifecycle rules that belong to whoever owns the account.
    /// </summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>True when the bucket exists; false when there is no such bucket. Other failures (access denied) throw.</returns>
    public ValueTask<bool> BucketExistsAsync(CancellationToken cancellationToken = default) => _blobs.BucketExistsAsync(cancellationToken);

    private string RecordKey(string collection, string key) => $"{_prefix}records/{collection}/{key}.json";

    /// <inheritdoc />
    public async ValueTask<StoredRecord?> GetAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        StoreKeys.ValidateName(key, nameof(key));
        return await ReadAsync(collection, key, RecordKey(collection, key), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<StoredRecord?> ReadAsync(string collection, string key, string objectKey, CancellationToken cancellationToken)
    {
        var bytes = await GetBytesAsync(objectKey, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            using var _ = JsonDocument.Parse(bytes.Value.Body);
        }
        catch (JsonException ex)
        {
            throw new StoreCorruptedException($"s3://{_bucket}/{objectKey}", $"not a valid JSON record ({ex.Message})");
        }

        return new StoredRecord(collection, key, bytes.Value.ETag, bytes.Value.Body);
    }

    private async ValueTask<(byte[] Body, string ETag)?> GetBytesAsync(string objectKey, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = objectKey }, cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return (buffer.ToArray(), response.ETag);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredRecord>> ListAsync(string collection, string? keyPrefix = null, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        var listPrefix = $"{_prefix}records/{collection}/{keyPrefix}";
        var objects = new List<(string Key, string ObjectKey)>();
        string? token = null;
        do
        {
            var page = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = listPrefix, ContinuationToken = token }, cancellationToken).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
            {
                if (o.Key.EndsWith(".json", StringComparison.Ordinal))
                {
                    objects.Add((o.Key[$"{_prefix}records/{collection}/".Length..^".json".Length], o.Key));
                }
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        // One GET per record, at most ReadConcurrency at a time (they were awaited one by one: 1,000 records took 1,000 round trips in a row).
        var read = new StoredRecord?[objects.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, objects.Count), new ParallelOptions { MaxDegreeOfParallelism = ReadConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
            read[i] = await ReadAsync(collection, objects[i].Key, objects[i].ObjectKey, ct).ConfigureAwait(false)).ConfigureAwait(false);
        var result = read.Where(r => r is not null).Select(r => r!).ToList();
        return result.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<StoredRecord> PutAsync(string collection, string key, ReadOnlyMemory<byte> document, string? expectedRevision, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        StoreKeys.ValidateName(key, nameof(key));
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = RecordKey(collection, key),
            InputStream = new MemoryStream(document.ToArray()),

            // Not application/json (which the SDK would infer from ".json"): S3 does not need it, and moto 5.2.0 then
            // serializes its 412 PreconditionFailed as an internal error (it picks its error protocol from the content type).
            ContentType = "application/octet-stream",
            UseChunkEncoding = false,
        };
        if (expectedRevision is null)
        {
            request.IfNoneMatch = "*";
        }
        else
        {
            request.IfMatch = expectedRevision;
        }

        try
        {
            var response = await _s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return new StoredRecord(collection, key, response.ETag, document.ToArray());
        }
        catch (AmazonS3Exception ex) when (S3Blobs.IsConditionFailure(ex))
        {
            var current = await GetBytesAsync(RecordKey(collection, key), cancellationToken).ConfigureAwait(false);
            throw new StoreConflictException(collection, key, expectedRevision, current?.ETag);
        }
    }

    /// <inheritdoc />
    public async ValueTask DeleteAsync(string collection, string key, string expectedRevision, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateName(collection, nameof(collection));
        StoreKeys.ValidateName(key, nameof(key));
        var objectKey = RecordKey(collection, key);
        var current = await GetBytesAsync(objectKey, cancellationToken).ConfigureAwait(false);
        if (current?.ETag != expectedRevision)
        {
            throw new StoreConflictException(collection, key, expectedRevision, current?.ETag);
        }

        try
        {
            await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = objectKey, IfMatch = expectedRevision }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (S3Blobs.IsConditionFailure(ex))
        {
            throw new StoreConflictException(collection, key, expectedRevision, null);
        }
    }

    /// <inheritdoc />
    public ValueTask<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => _blobs.PutAsync(content, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>?> GetBlobAsync(string hash, CancellationToken cancellationToken = default) => _blobs.GetAsync(hash, cancellationToken);

    /// <summary>Disposes the S3 client if the store created it; a client given to the constructor is left to its owner.</summary>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _s3.Dispose();
        }
    }
}
