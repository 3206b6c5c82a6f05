using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proton.Sdk.Aws.CodePipeline;

/// <summary>
/// A narrow CodePipeline client (JSON 1.1 protocol, API 2015-07-09) for a service pipeline's status: GetPipelineState,
/// StartPipelineExecution, GetPipelineExecution and ListPipelineExecutions (paginated). Signed with AWSSDK.Core's
/// SigV4 handler; throttling and 5xx are retried with backoff and jitter; errors are <see cref="AwsServiceException"/>.
/// </summary>
public sealed class PipelineStatusClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly int _maxAttempts;
    private readonly bool _ownsHttp;

    /// <summary>Creates a client; region and credentials from <paramref name="connection"/>, else the SDK's chains.</summary>
    /// <param name="connection">Region, profile, credentials, endpoint (<c>AWS_ENDPOINT_URL_CODEPIPELINE</c> is honoured) and retries.</param>
    /// <param name="transport">The handler that sends the signed requests (never disposed by the client); its own sockets handler when null.</param>
    /// <param name="timeProvider">The clock of the backoff; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="random">The jitter of the backoff; <see cref="Random.Shared"/> when null.</param>
    /// <exception cref="ProtonException"><c>aws.no-region</c> or <c>aws.no-credentials</c>.</exception>
    public PipelineStatusClient(AwsConnectionOptions? connection = null, HttpMessageHandler? transport = null, TimeProvider? timeProvider = null, Random? random = null)
    {
        connection ??= new AwsConnectionOptions();
        var region = AwsConnection.ResolveRegion(connection);
        _http = AwsConnection.SignedClient(AwsConnection.ResolveCredentials(connection), region, "codepipeline", transport);
        _endpoint = AwsConnection.ResolveEndpoint(connection, "CODEPIPELINE", "codepipeline", region);
        _time = timeProvider ?? TimeProvider.System;
        _random = (random ?? Random.Shared).NextDouble;
        _maxAttempts = connection.MaxAttempts;
        _ownsHttp = true;
    }

    internal PipelineStatusClient(HttpClient http, Uri endpoint, TimeProvider time, Func<double> random, int maxAttempts = 6)
    {
        _http = http;
        _endpoint = endpoint;
        _time = time;
        _random = random;
        _maxAttempts = maxAttempts;
    }

    internal int Calls;

    internal int Retries;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>The pipeline's stages and their latest executions.</summary>
    /// <param name="pipelineName">The pipeline.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state.</returns>
    public async Task<PipelineState> GetPipelineStateAsync(string pipelineName, CancellationToken cancellationToken = default)
    {
        var r = await CallAsync("GetPipelineState", new JsonObject { ["name"] = pipelineName }, cancellationToken).ConfigureAwait(false);
        var stages = (r["stageStates"] as JsonArray ?? []).Select(s => new PipelineStageState(
            (string?)s?["stageName"] ?? "?",
            (string?)s?["latestExecution"]?["status"],
            (string?)s?["latestExecution"]?["pipelineExecutionId"])).ToList();
        return new PipelineState((string?)r["pipelineName"] ?? pipelineName, (int?)r["pipelineVersion"] ?? 0, stages);
    }

    /// <summary>Starts an execution; the same token within a few minutes starts nothing new.</summary>
    /// <param name="pipelineName">The pipeline.</param>
    /// <param name="clientRequestToken">An idempotency token (such as the deployment id), or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The execution id.</returns>
    public async Task<string> StartPipelineExecutionAsync(string pipelineName, string? clientRequestToken = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["name"] = pipelineName };
        if (clientRequestToken is not null)
        {
            body["clientRequestToken"] = clientRequestToken;
        }

        var r = await CallAsync("StartPipelineExecution", body, cancellationToken).ConfigureAwait(false);
        return (string?)r["pipelineExecutionId"] ?? throw new AwsServiceException(AwsErrorKind.Other, "MalformedResponse", "no pipelineExecutionId", HttpStatusCode.OK, null, "StartPipelineExecution");
    }

    /// <summary>One execution.</summary>
    /// <param name="pipelineName">The pipeline.</param>
    /// <param name="executionId">The execution.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The execution.</returns>
    public async Task<PipelineExecutionInfo> GetPipelineExecutionAsync(string pipelineName, string executionId, CancellationToken cancellationToken = default)
    {
        var r = await CallAsync("GetPipelineExecution", new JsonObject { ["pipelineName"] = pipelineName, ["pipelineExecutionId"] = executionId }, cancellationToken).ConfigureAwait(false);
        return Execution(r["pipelineExecution"]);
    }

    /// <summary>The pipeline's executions, newest first, following NextToken up to <paramref name="max"/> results.</summary>
    /// <param name="pipelineName">The pipeline.</param>
    /// <param name="max">The most to return.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The executions.</returns>
    public async Task<IReadOnlyList<PipelineExecutionInfo>> ListPipelineExecutionsAsync(string pipelineName, int max = 100, CancellationToken cancellationToken = default)
    {
        var all = new List<PipelineExecutionInfo>();
        string? next = null;
        do
        {
            var body = new JsonObject { ["pipelineName"] = pipelineName, ["maxResults"] = Math.Min(100, max - all.Count) };
            if (next is not null)
            {
                body["nextToken"] = next;
            }

            var r = await CallAsync("ListPipelineExecutions", body, cancellationToken).ConfigureAwait(false);
            all.AddRange((r["pipelineExecutionSummaries"] as JsonArray ?? []).Select(Execution));
            next = (string?)r["nextToken"];
        }
        while (next is not null && all.Count < max);

        return all;
    }

    private static PipelineExecutionInfo Execution(JsonNode? e) => new((string?)e?["pipelineExecutionId"] ?? "?", (string?)e?["status"] ?? "Unknown")
    {
        StartedAt = Time(e?["startTime"]),
        LastUpdatedAt = Time(e?["lastUpdateTime"]),
        StatusSummary = (string?)e?["statusSummary"],
    };

    private static DateTimeOffset? Time(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Number => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(node.GetValue<double>() * 1000)),
        JsonValueKind.String => DateTimeOffset.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        _ => null,
    };

    private Task<JsonNode> CallAsync(string operation, JsonObject body, CancellationToken cancellationToken)
        => AwsRetry.RunAsync(
            operation,
            async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
                request.Headers.Add("X-Amz-Target", "CodePipeline_20150709." + operation);
                using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                JsonNode? json;
                try
                {
                    json = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    json = null;
                }

                var requestId = AwsErrorResponse.RequestId(response);
                if (response.IsSuccessStatusCode)
                {
                    return json ?? throw new AwsServiceException(AwsErrorKind.Other, "MalformedResponse", AwsErrorResponse.Summarize(response.StatusCode, response.ReasonPhrase, text), response.StatusCode, requestId, operation);
                }

                var type = ((string?)(json as JsonObject)?["__type"])?.Split('#').Last() ?? (response.StatusCode >= HttpStatusCode.InternalServerError ? "InternalFailure" : "UnknownError");
                var message = (string?)(json as JsonObject)?["message"] ?? (string?)(json as JsonObject)?["Message"] ?? AwsErrorResponse.Summarize(response.StatusCode, response.ReasonPhrase, text);
                var kind = type switch
                {
                    "ThrottlingException" or "Throttling" => AwsErrorKind.Throttling,
                    "ValidationException" => AwsErrorKind.Validation,
                    "ConflictException" => AwsErrorKind.AlreadyExists,
                    _ when response.StatusCode >= HttpStatusCode.InternalServerError => AwsErrorKind.ServiceUnavailable,
                    _ => AwsErrorKind.Other,
                };
                throw new AwsServiceException(kind, type, message, response.StatusCode, requestId, operation);
            },
            _time,
            _random,
            _maxAttempts,
            () => Interlocked.Increment(ref Calls),
            () => Interlocked.Increment(ref Retries),
            cancellationToken);
}
