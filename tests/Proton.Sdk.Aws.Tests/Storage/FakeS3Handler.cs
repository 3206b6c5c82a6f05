using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Web;
using Amazon.Runtime;

namespace Proton.Sdk.Aws.Tests.Storage;

/// <summary>
/// An in-memory S3 REST endpoint (path-style) with S3's conditional-write rules: If-None-Match: * fails with 412 when the
/// key exists, If-Match fails with 412 when the ETag differs; ListObjectsV2 pages by <see cref="PageSize"/>.
/// </summary>
internal sealed class FakeS3Handler : HttpMessageHandler
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (byte[] Body, string ETag)> _objects = new(StringComparer.Ordinal);

    public int PageSize { get; set; } = 2;

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Called before each request is served; lets a test change an object "between" two calls.</summary>
    public Action<HttpRequestMessage>? BeforeServe { get; set; }

    public void Set(string key, string body)
    {
        lock (_gate)
        {
            _objects[key] = (Encoding.UTF8.GetBytes(body), ETag(Encoding.UTF8.GetBytes(body)));
        }
    }

    // As S3 does for single-part uploads: the ETag is the MD5 of the body (the SDK checks downloads against it).
    private static string ETag(byte[] body) => "\"" + Convert.ToHexString(MD5.HashData(body)).ToLowerInvariant() + "\"";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        BeforeServe?.Invoke(request);
        var path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath).TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var key = slash < 0 ? string.Empty : path[(slash + 1)..];
        var query = HttpUtility.ParseQueryString(request.RequestUri.Query);
        Requests.Enqueue($"{request.Method} {key}");
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        lock (_gate)
        {
            _objects.TryGetValue(key, out var current);
            var exists = _objects.ContainsKey(key);
            if (request.Method == HttpMethod.Get && query["list-type"] == "2")
            {
                return List(query["prefix"] ?? string.Empty, query["continuation-token"]);
            }

            var ifNoneMatch = request.Headers.TryGetValues("If-None-Match", out var inm) ? inm.First() : null;
            var ifMatch = request.Headers.TryGetValues("If-Match", out var im) ? im.First() : null;
            if ((ifNoneMatch == "*" && exists) || (ifMatch is not null && (!exists || current.ETag != ifMatch)))
            {
                return Error(HttpStatusCode.PreconditionFailed, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
            }

            if (request.Method == HttpMethod.Put)
            {
                var etag = ETag(body);
                _objects[key] = (body, etag);
                var ok = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
                ok.Headers.ETag = System.Net.Http.Headers.EntityTagHeaderValue.Parse(etag);
                return ok;
            }

            if (request.Method == HttpMethod.Delete)
            {
                _objects.Remove(key);
                return new HttpResponseMessage(HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) };
            }

            if (!exists)
            {
                return Error(HttpStatusCode.NotFound, "NoSuchKey", "The specified key does not exist.");
            }

            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(current.Body) };
            response.Headers.ETag = System.Net.Http.Headers.EntityTagHeaderValue.Parse(current.ETag);
            response.Content.Headers.ContentLength = current.Body.Length;
            return response;
        }
    }

    private HttpResponseMessage List(string prefix, string? token)
    {
        var keys = _objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var start = token is null ? 0 : int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
        var page = keys.Skip(start).Take(PageSize).ToList();
        var truncated = start + page.Count < keys.Count;
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bucket</Name>");
        xml.Append($"<Prefix>{prefix}</Prefix><KeyCount>{page.Count}</KeyCount><MaxKeys>{PageSize}</MaxKeys><IsTruncated>{(truncated ? "true" : "false")}</IsTruncated>");
        if (truncated)
        {
            xml.Append($"<NextContinuationToken>{start + page.Count}</NextContinuationToken>");
        }

        foreach (var k in page)
        {
            xml.Append($"<Contents><Key>{k}</Key><ETag>{_objects[k].ETag}</ETag><Size>{_objects[k].Body.Length}</Size><LastModified>2026-01-01T00:00:00.000Z</LastModified><StorageClass>STANDARD</StorageClass></Contents>");
        }

        xml.Append("</ListBucketResult>");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(xml.ToString(), Encoding.UTF8, "application/xml") };
    }

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message)
        => new(status)
        {
            Content = new StringContent($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>r</RequestId><HostId>h</HostId></Error>", Encoding.UTF8, "application/xml"),
        };
}

/// <summary>Hands the SDK an HttpClient over the fake handler.</summary>
internal sealed class FakeHttpClientFactory(HttpMessageHandler handler) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
}
