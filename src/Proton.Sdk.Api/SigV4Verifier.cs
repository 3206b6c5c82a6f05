using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Proton.Sdk.Api;

/// <summary>
/// Checks AWS Signature Version 4 on a request (the <c>Authorization</c> header form the AWS CLI and SDKs send): the
/// credential scope (date, region, <c>proton</c>, <c>aws4_request</c>), the clock skew, and the signature recomputed over
/// the canonical request with the secret of the access key. Secrets never reach a message.
/// </summary>
internal sealed class SigV4Verifier(IReadOnlyDictionary<string, string> credentials, string region, TimeSpan maxSkew, string service = "proton")
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Verifies a request; returns the access key id, or throws <see cref="ProtonApiException"/> (403).</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="rawPath">The path as sent (still percent-encoded).</param>
    /// <param name="rawQuery">The query string as sent, without <c>?</c>.</param>
    /// <param name="headers">The headers, names in any case.</param>
    /// <param name="body">The body.</param>
    /// <param name="now">The host's time.</param>
    public string Verify(string method, string rawPath, string rawQuery, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body, DateTimeOffset now)
        => CheckHeaders(method, rawPath, rawQuery, headers, now).CheckBody(body);

    /// <summary>
    /// Everything that does not need the body: the header's form, a known access key, the scope (region, service, date),
    /// the clock skew and the signed headers. Run before the body is read, so a request that cannot be authentic is refused
    /// without buffering it. Returns what checks the signature over the body, or throws <see cref="ProtonApiException"/> (403).
    /// </summary>
    public PendingSignature CheckHeaders(string method, string rawPath, string rawQuery, IEnumerable<KeyValuePair<string, string>> headers, DateTimeOffset now)
    {
        var byName = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            if (!byName.TryGetValue(name, out var list))
            {
                byName[name] = list = [];
            }

            list.Add(value);
        }

        if (!byName.TryGetValue("authorization", out var auth) || auth.Count == 0 || string.IsNullOrWhiteSpace(auth[0]))
        {
            throw Error(ProtonApiErrors.MissingAuthenticationToken, "Missing Authentication Token: the request must be signed with AWS Signature Version 4.");
        }

        var header = auth[0].Trim();
        if (!header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            throw Error(ProtonApiErrors.IncompleteSignature, $"Authorization header must use {Algorithm}.");
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in header[Algorithm.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var (k, v) = (part[..eq], part[(eq + 1)..]);
            switch (k)
            {
                case "Credential": credential = v; break;
                case "SignedHeaders": signedHeaders = v; break;
                case "Signature": signature = v; break;
            }
        }

        if (credential is null || signedHeaders is null || signature is null)
        {
            throw Error(ProtonApiErrors.IncompleteSignature, "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'.");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            throw Error(ProtonApiErrors.IncompleteSignature, "Credential must be <access key id>/<date>/<region>/<service>/aws4_request.");
        }

        var (accessKeyId, date, scopeRegion, scopeService) = (scope[0], scope[1], scope[2], scope[3]);
        if (!credentials.TryGetValue(accessKeyId, out var secret))
        {
            throw Error(ProtonApiErrors.UnrecognizedClient, "The security token included in the request is invalid: the access key id is not known to this host.");
        }

        if (scopeService != service)
        {
            throw Error(ProtonApiErrors.InvalidSignature, $"Credential should be scoped to correct service: '{service}'.");
        }

        if (!string.Equals(scopeRegion, region, StringComparison.Ordinal))
        {
            throw Error(ProtonApiErrors.InvalidSignature, $"Credential should be scoped to a valid region: this host serves '{region}', not '{scopeRegion}'.");
        }

        var amzDate = First(byName, "x-amz-date");
        if (amzDate is null || !DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            throw Error(ProtonApiErrors.IncompleteSignature, "The request needs an X-Amz-Date header in the form yyyyMMddTHHmmssZ.");
        }

        if (date.Length != 8 || !amzDate.StartsWith(date, StringComparison.Ordinal))
        {
            throw Error(ProtonApiErrors.InvalidSignature, "The credential's date does not match X-Amz-Date.");
        }

        if ((now - signedAt).Duration() > maxSkew)
        {
            throw Error(ProtonApiErrors.InvalidSignature, $"Signature expired: {amzDate} is more than {maxSkew.TotalMinutes:0} minutes from the host's time {now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.");
        }

        var names = signedHeaders.Split(';');
        if (!names.Contains("host", StringComparer.Ordinal))
        {
            throw Error(ProtonApiErrors.IncompleteSignature, "SignedHeaders must include host.");
        }

        // The operation travels in X-Amz-Target: unsigned, a captured request could be replayed as another operation.
        if (First(byName, "x-amz-target") is not null && !names.Contains("x-amz-target", StringComparer.Ordinal))
        {
            throw Error(ProtonApiErrors.IncompleteSignature, "SignedHeaders must include x-amz-target.");
        }

        var canonical = new StringBuilder();
        canonical.Append(method.ToUpperInvariant()).Append('\n');
        canonical.Append(CanonicalPath(rawPath)).Append('\n');
        canonical.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var name in names)
        {
            if (!byName.TryGetValue(name, out var values))
            {
                throw Error(ProtonApiErrors.InvalidSignature, $"Signed header '{name}' is missing from the request.");
            }

            canonical.Append(name.ToLowerInvariant()).Append(':').Append(string.Join(',', values.Select(Collapse))).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n');
        return new PendingSignature(canonical.ToString(), amzDate, date, scopeRegion, scopeService, secret, signature, accessKeyId);
    }

    private static string? First(Dictionary<string, List<string>> headers, string name)
        => headers.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    private static ProtonApiException Error(string type, string message) => new(type, 403, message);

    /// <summary>A request whose headers passed; <see cref="CheckBody"/> recomputes the signature with the body's hash.</summary>
    internal sealed class PendingSignature(string canonicalWithoutBody, string amzDate, string date, string scopeRegion, string scopeService, string secret, string signature, string accessKeyId)
    {
        /// <summary>Checks the signature over the body; returns the access key id, or throws <see cref="ProtonApiException"/> (403).</summary>
        public string CheckBody(ReadOnlySpan<byte> body)
        {
            var canonical = canonicalWithoutBody + Hex(SHA256.HashData(body));
            var stringToSign = $"{Algorithm}\n{amzDate}\n{date}/{scopeRegion}/{scopeService}/aws4_request\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
            var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
            key = Hmac(key, scopeRegion);
            key = Hmac(key, scopeService);
            key = Hmac(key, "aws4_request");
            var expected = Encoding.ASCII.GetBytes(Hex(Hmac(key, stringToSign)));
            if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.ToLowerInvariant())))
            {
                throw Error(ProtonApiErrors.InvalidSignature, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
            }

            return accessKeyId;
        }
    }

    private static string Collapse(string value)
    {
        var sb = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c == ' ')
            {
                if (!space)
                {
                    sb.Append(c);
                }

                space = true;
            }
            else
            {
                sb.Append(c);
                space = false;
            }
        }

        return sb.ToString();
    }

    // The AWS CLI and SDKs encode each path segment of the (already encoded) path once more for services other than S3.
    private static string CanonicalPath(string rawPath)
        => string.IsNullOrEmpty(rawPath) ? "/" : string.Join('/', rawPath.Split('/').Select(s => Encode(s)));

    private static string CanonicalQuery(string rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery))
        {
            return string.Empty;
        }

        return string.Join('&', rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p =>
            {
                var eq = p.IndexOf('=', StringComparison.Ordinal);
                var k = Uri.UnescapeDataString(eq < 0 ? p : p[..eq]);
                var v = eq < 0 ? string.Empty : Uri.UnescapeDataString(p[(eq + 1)..]);
                return (K: Encode(k), V: Encode(v));
            })
            .OrderBy(p => p.K, StringComparer.Ordinal).ThenBy(p => p.V, StringComparer.Ordinal)
            .Select(p => p.K + "=" + p.V));
    }

    private static string Encode(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
