using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Proton.Sdk.Aws.Tests.CodeBuild;

/// <summary>
/// A fake CodeBuild and CloudWatch Logs endpoint (JSON 1.1; response shapes from AWS's API references): answers per
/// X-Amz-Target from queues, records every request.
/// </summary>
internal sealed class FakeCodeBuild : HttpMessageHandler
{
    private readonly Dictionary<string, Queue<(HttpStatusCode Status, string Body)>> _answers = new(StringComparer.Ordinal);

    public List<(string Target, string Body)> Requests { get; } = [];

    public FakeCodeBuild On(string target, string body, HttpStatusCode status = HttpStatusCode.OK)
    {
        if (!_answers.TryGetValue(target, out var queue))
        {
            _answers[target] = queue = new Queue<(HttpStatusCode, string)>();
        }

        queue.Enqueue((status, body));
        return this;
    }

    public JsonNode Body(string target) => JsonNode.Parse(Requests.First(r => r.Target == target).Body)!;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.Headers.GetValues("X-Amz-Target").Single();
        lock (Requests)
        {
            Requests.Add((target, request.Content is null ? string.Empty : request.Content.ReadAsStringAsync(cancellationToken).GetAwaiter().GetResult()));
        }

        await Task.Yield();
        if (!_answers.TryGetValue(target, out var queue) || queue.Count == 0)
        {
            return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("{\"__type\":\"UnexpectedCall\",\"message\":\"" + target + "\"}", Encoding.UTF8, "application/x-amz-json-1.1") };
        }

        var (status, body) = queue.Count == 1 ? queue.Peek() : queue.Dequeue();
        return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1") };
    }
}
