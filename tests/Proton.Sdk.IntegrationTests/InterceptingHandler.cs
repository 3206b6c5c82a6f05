using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Proton.Sdk.IntegrationTests;

/// <summary>
/// The transport under the signing handler: counts calls by action and lets a test answer or change a call before it
/// reaches the endpoint (throttling, a changed request), the way a host passes its own handler to the AWS components.
/// </summary>
internal sealed class InterceptingHandler : DelegatingHandler
{
    public InterceptingHandler()
        : base(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
    }

    public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>Given the action and the form body: a response to return instead, a new body to send, or (null, null) to pass.</summary>
    public Func<string, string, (HttpResponseMessage? Answer, string? Body)>? Intercept { get; set; }

    public int CallsOf(string action) => Calls.GetValueOrDefault(action);

    public static HttpResponseMessage Throttling(string action) => new(HttpStatusCode.BadRequest)
    {
        Content = new StringContent($"<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>throttle-{action}</RequestId></ErrorResponse>", Encoding.UTF8, "text/xml"),
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var action = body.Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "Action")?.ElementAtOrDefault(1) ?? request.Method.Method;
        Calls.AddOrUpdate(action, 1, (_, n) => n + 1);
        var (answer, changed) = Intercept?.Invoke(action, body) ?? (null, null);
        if (answer is not null)
        {
            return answer;
        }

        if (changed is not null)
        {
            var content = new StringContent(changed, Encoding.UTF8);
            content.Headers.ContentType = request.Content!.Headers.ContentType;
            request.Content = content;
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
