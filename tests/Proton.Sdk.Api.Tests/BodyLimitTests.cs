using System.Net.Http.Headers;

namespace Proton.Sdk.Api.Tests;

/// <summary>Authentication before the body; a bounded body (ProtonApi:MaxRequestBytes, 413 over it).</summary>
public sealed class BodyLimitTests
{
    private const int Limit = 4 * 1024 * 1024;

    [Fact]
    public async Task UnknownKey_LargeBodyUnderLimit_RefusedBeforeTheBodyIsRead()
    {
        await using var host = await ApiHost.StartAsync(configure: o => o.MaxRequestBytes = Limit);
        var source = new CountingStream(3 * 1024 * 1024);
        var (status, type) = await SendAsync(host, source, "AKIDUNKNOWN0000000000", declareLength: true);
        Assert.Equal((403, "UnrecognizedClientException"), (status, type));
        Assert.True(source.BytesRead < 512 * 1024, $"{source.BytesRead} bytes of the body were read before the request was refused");
    }

    [Fact]
    public async Task DeclaredLengthOverLimit_Refused413Unread()
    {
        await using var host = await ApiHost.StartAsync(configure: o => o.MaxRequestBytes = 64 * 1024);
        var source = new CountingStream(8 * 1024 * 1024);
        var (status, type) = await SendAsync(host, source, ApiHost.AccessKeyId, declareLength: true);
        Assert.Equal((413, "ValidationException"), (status, type));
        Assert.True(source.BytesRead < 1024 * 1024, $"{source.BytesRead} bytes read");
    }

    [Fact]
    public async Task ChunkedBodyOverLimit_Refused413WithoutReadingItWhole()
    {
        await using var host = await ApiHost.StartAsync(configure: o => o.MaxRequestBytes = 64 * 1024);
        var source = new CountingStream(8 * 1024 * 1024);
        var (status, type) = await SendAsync(host, source, ApiHost.AccessKeyId, declareLength: false);
        Assert.Equal((413, "ValidationException"), (status, type));
        Assert.True(source.BytesRead < 1024 * 1024, $"{source.BytesRead} bytes read");
    }

    [Fact]
    public async Task BodyUnderLimit_StillSignedOverTheBody()
    {
        await using var host = await ApiHost.StartAsync(configure: o => o.MaxRequestBytes = 64 * 1024);
        var ok = await host.CallAsync("ListEnvironments");
        var tampered = await host.CallAsync("ListEnvironments", tamper: m => m.Content = new StringContent("{\"maxResults\":1}"));
        Assert.Equal((200, 403, "InvalidSignatureException"), (ok.Status, tampered.Status, tampered.ErrorType));
    }

    private static async Task<(int Status, string? Type)> SendAsync(ApiHost host, CountingStream source, string accessKeyId, bool declareLength)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Client.BaseAddress!, "/"));
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AwsProton20200720.ListEnvironments");
        request.Content = new StreamContent(source);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.0");
        if (declareLength)
        {
            request.Content.Headers.ContentLength = source.Length;
        }

        // Signed over an empty body: the headers are genuine, the body's hash is never reached.
        TestSigner.Sign(request, [], accessKeyId, ApiHost.Secret, DateTimeOffset.UtcNow);
        using var response = await host.Client.SendAsync(request);
        return ((int)response.StatusCode, response.Headers.TryGetValues("x-amzn-ErrorType", out var v) ? v.First() : null);
    }

    /// <summary>A body of <c>length</c> spaces that counts what was read from it.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        private long _read;

        public long BytesRead => Interlocked.Read(ref _read);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            buffer.AsSpan(offset, n).Fill((byte)' ');
            Interlocked.Add(ref _read, n);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
