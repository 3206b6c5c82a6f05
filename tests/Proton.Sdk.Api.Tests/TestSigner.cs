using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Proton.Sdk.Api.Tests;

/// <summary>Signs test requests with SigV4 (header form, path <c>/</c>, no query) as the AWS CLI does; checked against botocore in <see cref="SigV4VerifierTests"/>.</summary>
internal static class TestSigner
{
    public static void Sign(HttpRequestMessage request, byte[] body, string accessKeyId, string secret, DateTimeOffset now, string region = "us-east-1", string service = "proton")
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var host = request.RequestUri!.Authority;
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        var target = request.Headers.TryGetValues("X-Amz-Target", out var t) ? t.First() : string.Empty;
        var canonical = $"POST\n/\n\ncontent-type:application/x-amz-json-1.0\nhost:{host}\nx-amz-date:{amzDate}\nx-amz-target:{target}\n\ncontent-type;host;x-amz-date;x-amz-target\n{Hex(SHA256.HashData(body))}";
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in new[] { date, region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={accessKeyId}/{scope}, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={signature}");
    }

    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();
}
