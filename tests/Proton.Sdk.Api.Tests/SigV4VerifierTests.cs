using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Proton.Sdk.Api.Tests;

/// <summary>The SigV4 check against signatures made by botocore (the AWS CLI's signer), not by this repository's code.</summary>
public sealed class SigV4VerifierTests
{
    private const string Key = "AKIDBOTOCORE00000001";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /// <summary>A request signed by botocore's SigV4Auth (at the current time): its headers and body.</summary>
    private sealed record Signed(Dictionary<string, string> Headers, string Body)
    {
        public DateTimeOffset SignedAt => DateTimeOffset.ParseExact(Headers["X-Amz-Date"], "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
    }

    private static Signed SignWithBotocore(string body, string path = "/", bool signTarget = true)
    {
        var script = """
import sys, json
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
args = json.loads(sys.stdin.read())
req = AWSRequest(method='POST', url='http://127.0.0.1:5080' + args['path'], data=args['body'].encode(),
                 headers={'Content-Type': 'application/x-amz-json-1.0'})
if args['signTarget']:
    req.headers['X-Amz-Target'] = 'AwsProton20200720.ListEnvironments'
SigV4Auth(Credentials(args['key'], args['secret']), 'proton', 'us-east-1').add_auth(req)
h = dict(req.headers.items()); h['host'] = '127.0.0.1:5080'
h['X-Amz-Target'] = 'AwsProton20200720.ListEnvironments'
print(json.dumps(h))
""";
        var psi = new ProcessStartInfo("python3", ["-c", script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(JsonSerializer.Serialize(new { path, body, key = Key, secret = Secret, signTarget }));
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "botocore signing failed: " + error);
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(output)!;
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=" + Key + "/", headers["Authorization"], StringComparison.Ordinal);
        return new Signed(headers, body);
    }

    private static SigV4Verifier Verifier(string? secret = null, TimeSpan? skew = null)
        => new(new Dictionary<string, string> { [Key] = secret ?? Secret }, "us-east-1", skew ?? TimeSpan.FromMinutes(15));

    private static string Verify(SigV4Verifier verifier, Signed s, string? body = null, DateTimeOffset? now = null, string path = "/")
        => verifier.Verify("POST", path, string.Empty, s.Headers, Encoding.UTF8.GetBytes(body ?? s.Body), now ?? s.SignedAt.AddSeconds(30));

    [Fact]
    public void Verify_BotocoreSignature_ReturnsAccessKey()
    {
        var signed = SignWithBotocore("""{"maxResults":5}""");
        Assert.Equal(Key, Verify(Verifier(), signed));
    }

    [Fact]
    public void Verify_BotocoreSignatureOnEncodedPath_ReturnsAccessKey()
    {
        var signed = SignWithBotocore("{}", "/proton%20api/x");
        Assert.Equal(Key, Verify(Verifier(), signed, path: "/proton%20api/x"));
    }

    [Fact]
    public void Verify_ChangedBody_InvalidSignature()
    {
        var signed = SignWithBotocore("""{"maxResults":5}""");
        var e = Assert.Throws<ProtonApiException>(() => Verify(Verifier(), signed, body: """{"maxResults":6}"""));
        Assert.Equal("InvalidSignatureException", e.ErrorType);
        Assert.Equal(403, e.StatusCode);
    }

    [Fact]
    public void Verify_WrongSecret_InvalidSignatureWithoutTheSecret()
    {
        var signed = SignWithBotocore("{}");
        var e = Assert.Throws<ProtonApiException>(() => Verify(Verifier(secret: "another-secret"), signed));
        Assert.Equal("InvalidSignatureException", e.ErrorType);
        Assert.DoesNotContain("another-secret", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UnknownAccessKey_UnrecognizedClient()
    {
        var signed = SignWithBotocore("{}");
        var verifier = new SigV4Verifier(new Dictionary<string, string> { ["AKIDOTHER"] = Secret }, "us-east-1", TimeSpan.FromMinutes(15));
        Assert.Equal("UnrecognizedClientException", Assert.Throws<ProtonApiException>(() => Verify(verifier, signed)).ErrorType);
    }

    [Fact]
    public void Verify_OutsideClockSkew_InvalidSignature()
    {
        var signed = SignWithBotocore("{}");
        var e = Assert.Throws<ProtonApiException>(() => Verify(Verifier(), signed, now: signed.SignedAt.AddMinutes(16)));
        Assert.Equal("InvalidSignatureException", e.ErrorType);
        Assert.Contains("Signature expired", e.Message, StringComparison.Ordinal);
        Assert.Equal(Key, Verify(Verifier(), signed, now: signed.SignedAt.AddMinutes(14)));
    }

    [Fact]
    public void Verify_NoAuthorization_MissingAuthenticationToken()
    {
        var e = Assert.Throws<ProtonApiException>(() => Verifier().Verify("POST", "/", string.Empty, [new("Host", "x"), new("X-Amz-Date", "20261202T103000Z")], [], DateTimeOffset.UtcNow));
        Assert.Equal("MissingAuthenticationTokenException", e.ErrorType);
    }

    [Fact]
    public void Verify_UnsignedTarget_IncompleteSignature()
    {
        // A valid signature over host and the body, with X-Amz-Target added afterwards: another operation could be swapped in.
        var signed = SignWithBotocore("{}", signTarget: false);
        Assert.DoesNotContain("x-amz-target", signed.Headers["Authorization"], StringComparison.Ordinal);
        var e = Assert.Throws<ProtonApiException>(() => Verify(Verifier(), signed));
        Assert.Equal("IncompleteSignatureException", e.ErrorType);
        Assert.Contains("x-amz-target", e.Message, StringComparison.Ordinal);
        Assert.Contains("x-amz-target", SignWithBotocore("{}").Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OtherRegionScope_InvalidSignature()
    {
        var signed = SignWithBotocore("{}");
        var verifier = new SigV4Verifier(new Dictionary<string, string> { [Key] = Secret }, "eu-west-1", TimeSpan.FromMinutes(15));
        var e = Assert.Throws<ProtonApiException>(() => Verify(verifier, signed));
        Assert.Contains("region", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TestSigner_MatchesBotocore()
    {
        var body = """{"name":"dev"}""";
        var botocore = SignWithBotocore(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:5080/");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AwsProton20200720.ListEnvironments");
        TestSigner.Sign(request, Encoding.UTF8.GetBytes(body), Key, Secret, botocore.SignedAt);
        Assert.Equal(botocore.Headers["Authorization"], request.Headers.GetValues("Authorization").Single());
    }
}
