using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Aws.Storage;

/// <summary>Content-addressed blobs under <c>{prefix}blobs/{sha256}</c> in one bucket: the blob half of the S3 and DynamoDB stores.</summary>
internal sealed class S3Blobs(IAmazonS3 s3, string bucket, string prefix)
{
    public string Key(string hash) => $"{prefix}blobs/{hash}";

    /// <summary>True when the bucket exists and can be listed under the prefix; false when there is no such bucket.</summary>
    public async ValueTask<bool> BucketExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound || ex.ErrorCode == "NoSuchBucket")
        {
            return false;
        }
    }

    /// <summary>Stores the bytes once (<c>If-None-Match: *</c>); storing the same bytes again is a no-op.</summary>
    public async ValueTask<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var hash = StoreKeys.ContentHash(content.Span);
        try
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = Key(hash),
                InputStream = new MemoryStream(content.ToArray()),
                IfNoneMatch = "*",
                UseChunkEncoding = false,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (IsConditionFailure(ex))
        {
            // Already stored: blobs are immutable and addressed by their content.
        }

        return hash;
    }

    /// <summary>Reads a blob, or null when there is none; bytes that no longer match their hash are reported.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> GetAsync(string hash, CancellationToken cancellationToken)
    {
        StoreKeys.ValidateHash(hash);
        byte[] bytes;
        try
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = Key(hash) }, cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            bytes = buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (StoreKeys.ContentHash(bytes) != hash)
        {
            throw new StoreCorruptedException($"s3://{bucket}/{Key(hash)}", "the blob's content does not match its SHA-256");
        }

        return bytes;
    }

    /// <summary>An S3 conditional write (If-Match / If-None-Match) that did not hold.</summary>
    public static bool IsConditionFailure(AmazonS3Exception ex)
        => ex.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict
           || ex.ErrorCode is "PreconditionFailed" or "ConditionalRequestConflict";
}
