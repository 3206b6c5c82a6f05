using Amazon.Runtime;
using Amazon.S3;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Aws.Storage;

/// <summary>
/// A Proton-style template bundle (<c>.tar.gz</c>) in S3, addressed as <c>s3://bucket/key</c>. It is read through the
/// same reader, with the same limits, as a local archive (size, entries, traversal, links, gzip bombs).
/// </summary>
public sealed class S3BundleSource : ITemplateBundleSource
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _key;

    /// <summary>Creates a source; credentials come from the SDK's default chain.</summary>
    /// <param name="uri">The bundle, <c>s3://bucket/key</c>.</param>
    /// <param name="options">Region, endpoint and addressing (the bucket name in it is ignored).</param>
    public S3BundleSource(string uri, S3StoreOptions? options = null)
        : this(uri, CreateClient(uri, options, null, null))
    {
    }

    internal S3BundleSource(string uri, IAmazonS3 s3)
    {
        (_bucket, _key) = Parse(uri);
        _s3 = s3;
        Description = uri;
    }

    /// <inheritdoc />
    public string Description { get; }

    internal static IAmazonS3 CreateClient(string uri, S3StoreOptions? options, AWSCredentials? credentials, HttpClientFactory? factory)
    {
        var (bucket, _) = Parse(uri);
        options ??= new S3StoreOptions();
        return S3ProtonStore.CreateClient(new S3StoreOptions { BucketName = bucket, Region = options.Region, ServiceUrl = options.ServiceUrl, ForcePathStyle = options.ForcePathStyle }, credentials, factory);
    }

    /// <summary>Splits <c>s3://bucket/key</c>.</summary>
    /// <param name="uri">The URI.</param>
    /// <returns>The bucket and key.</returns>
    /// <exception cref="ArgumentException">Not an <c>s3://bucket/key</c> URI.</exception>
    public static (string Bucket, string Key) Parse(string uri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        if (!uri.StartsWith("s3://", StringComparison.Ordinal) || uri.Length <= 5)
        {
            throw new ArgumentException($"'{uri}' is not an s3://bucket/key URI.", nameof(uri));
        }

        var rest = uri[5..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1)
        {
            throw new ArgumentException($"'{uri}' names no object: use s3://bucket/path/to/bundle.tar.gz.", nameof(uri));
        }

        return (rest[..slash], rest[(slash + 1)..]);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BundleFile>> ReadFilesAsync(BundleOptions options, CancellationToken cancellationToken = default)
    {
        var archive = new TarGzBundleSource(async ct =>
        {
            try
            {
                var response = await _s3.GetObjectAsync(_bucket, _key, ct).ConfigureAwait(false);
                if (response.ContentLength > options.MaxBundleBytes)
                {
                    response.Dispose();
                    throw new ProtonValidationException(BundleErrorCodes.TooLarge, [Diagnostic.Error(BundleErrorCodes.TooLarge, $"The archive is {response.ContentLength} bytes; the limit is {options.MaxBundleBytes}.", Description)]);
                }

                return response.ResponseStream;
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Forbidden)
            {
                throw new ProtonValidationException(BundleErrorCodes.NotFound, [Diagnostic.Error(BundleErrorCodes.NotFound, $"{Description}: {ex.ErrorCode ?? ex.StatusCode.ToString()} ({ex.Message})", Description)]);
            }
        }, Description);
        return await archive.ReadFilesAsync(options, cancellationToken).ConfigureAwait(false);
    }
}
