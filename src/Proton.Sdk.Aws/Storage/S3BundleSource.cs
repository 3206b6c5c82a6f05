using Amazon.S3;
using Proton.Sdk.Templates;
using Proton.Sdk.Aws.CloudFormation;

namespace Proton.Sdk.Aws.Storage;

/// <summary>
/// A Proton-style template bundle (<c>.tar.gz</c>) in S3, addressed as <c>s3://bucket/key</c>. It is read through the
/// same reader, with the same limits, as a local archive (size, entries, traversal, links, gzip bombs).
/// </summary>
public sealed class S3BundleSource : ITemplateBundleSource, IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly bool _ownsClient;
    private readonly string _bucket;
    private readonly string _key;

    /// <summary>Creates a source with its own S3 client (disposed with the source).</summary>
    /// <param name="uri">The bundle, <c>s3://bucket/key</c>.</param>
    /// <param name="connection">Region, profile, credentials, endpoint, addressing; the SDK's chains when null.</param>
    /// <param name="transport">The HTTP handler the S3 client sends through (not disposed by the source); the SDK's own when null.</param>
    /// <exception cref="ArgumentException">Not an <c>s3://bucket/key</c> URI.</exception>
    public S3BundleSource(string uri, AwsConnectionOptions? connection = null, HttpMessageHandler? transport = null)
        : this(uri, Parse(uri), S3Clients.Create(connection ?? new AwsConnectionOptions(), transport: transport), ownsClient: true)
    {
    }

    /// <summary>Creates a source over an S3 client the caller made and configured; the source does not dispose it.</summary>
    /// <param name="uri">The bundle, <c>s3://bucket/key</c>.</param>
    /// <param name="s3">The client.</param>
    /// <exception cref="ArgumentException">Not an <c>s3://bucket/key</c> URI.</exception>
    public S3BundleSource(string uri, IAmazonS3 s3)
        : this(uri, Parse(uri), s3 ?? throw new ArgumentNullException(nameof(s3)), ownsClient: false)
    {
    }

    private S3BundleSource(string uri, (string Bucket, string Key) location, IAmazonS3 s3, bool ownsClient)
    {
        (_bucket, _key) = location;
        _s3 = s3;
        _ownsClient = ownsClient;
        Description = uri;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Disposes the S3 client if the source created it.</summary>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _s3.Dispose();
        }
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
