using System.Net;
using System.Text.RegularExpressions;

namespace Proton.Sdk.Aws;

/// <summary>
/// What to say about an error response that is not AWS's XML or JSON (an HTML page from a proxy, a load balancer or an
/// emulator): the status code, a short reason, and the request id when the response has one, never the raw page.
/// </summary>
internal static partial class AwsErrorResponse
{
    private const int MaxReason = 160;

    /// <summary>The request id from the response headers (<c>x-amzn-RequestId</c>, <c>x-amz-request-id</c>), or null.</summary>
    public static string? RequestId(HttpResponseMessage response)
    {
        foreach (var name in new[] { "x-amzn-RequestId", "x-amz-request-id", "x-amzn-request-id" })
        {
            if (response.Headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { Length: > 0 } id)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>A one-line summary: <c>HTTP 500 (Internal Server Error): &lt;title or first text&gt;; the body is not an AWS error response</c>.</summary>
    public static string Summarize(HttpStatusCode status, string? reasonPhrase, string body)
    {
        var reason = ShortReason(body);
        var phrase = string.IsNullOrWhiteSpace(reasonPhrase) ? status.ToString() : reasonPhrase;
        var head = $"HTTP {(int)status} ({phrase})";
        return reason is null || reason.Equals(phrase, StringComparison.OrdinalIgnoreCase) || reason.Equals($"{(int)status} {phrase}", StringComparison.OrdinalIgnoreCase)
            ? $"{head}; the body is not an AWS error response"
            : $"{head}: {reason}; the body is not an AWS error response";
    }

    /// <summary>The page's title, else its first line of text without markup, cut to a short length; null when empty.</summary>
    private static string? ShortReason(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        var title = TitlePattern().Match(body);
        var text = title.Success ? title.Groups[1].Value : TagPattern().Replace(body, " ");
        text = WebUtility.HtmlDecode(SpacePattern().Replace(text, " ")).Trim();
        if (text.Length == 0)
        {
            return null;
        }

        return text.Length <= MaxReason ? text : text[..MaxReason].TrimEnd() + "...";
    }

    [GeneratedRegex(@"<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline, 1000)]
    private static partial Regex TitlePattern();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.Singleline, 1000)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\s+", RegexOptions.None, 1000)]
    private static partial Regex SpacePattern();
}
