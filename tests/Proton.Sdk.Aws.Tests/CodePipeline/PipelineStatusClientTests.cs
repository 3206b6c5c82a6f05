using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.CodePipeline;

namespace Proton.Sdk.Aws.Tests.CodePipeline;

/// <summary>Contract tests: CodePipeline's JSON 1.1 response bodies (shapes from AWS's API reference) through a fake handler.</summary>
public sealed class PipelineStatusClientTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly Replay _handler = new();
    private readonly HttpClient _http;

    public PipelineStatusClientTests() => _http = new HttpClient(_handler);

    public void Dispose() => _http.Dispose();

    private PipelineStatusClient New() => new(_http, new Uri("https://codepipeline.us-east-1.amazonaws.com/"), _clock, () => 0.0);

    [Fact]
    public async Task GetPipelineState_ReadsStages_AndSendsTheJson11Protocol()
    {
        _handler.Answers.Enqueue((HttpStatusCode.OK, """
            {"pipelineName":"web-pipeline","pipelineVersion":3,"created":1.7e9,"updated":1.7e9,
             "stageStates":[{"stageName":"Source","latestExecution":{"pipelineExecutionId":"e-1","status":"Succeeded"}},
                            {"stageName":"Deploy","latestExecution":{"pipelineExecutionId":"e-1","status":"InProgress"}},
                            {"stageName":"Prod"}]}
            """));

        var state = await New().GetPipelineStateAsync("web-pipeline");

        Assert.Equal(("web-pipeline", 3), (state.PipelineName, state.Version));
        Assert.Equal([new PipelineStageState("Source", "Succeeded", "e-1"), new PipelineStageState("Deploy", "InProgress", "e-1"), new PipelineStageState("Prod", null, null)], state.Stages);
        var request = _handler.Requests.Single();
        Assert.Equal(("CodePipeline_20150709.GetPipelineState", "application/x-amz-json-1.1", "{\"name\":\"web-pipeline\"}"), (request.Target, request.ContentType, request.Body));
    }

    [Fact]
    public async Task StartAndGetExecution_WithIdempotencyToken()
    {
        _handler.Answers.Enqueue((HttpStatusCode.OK, """{"pipelineExecutionId":"e-9"}"""));
        _handler.Answers.Enqueue((HttpStatusCode.OK, """{"pipelineExecution":{"pipelineName":"p","pipelineVersion":1,"pipelineExecutionId":"e-9","status":"Failed","statusSummary":"Build failed"}}"""));

        var id = await New().StartPipelineExecutionAsync("p", "dep-1");
        var execution = await New().GetPipelineExecutionAsync("p", id);

        Assert.Equal("e-9", id);
        Assert.Contains("\"clientRequestToken\":\"dep-1\"", _handler.Requests[0].Body, StringComparison.Ordinal);
        Assert.Equal(("e-9", "Failed", "Build failed"), (execution.ExecutionId, execution.Status, execution.StatusSummary));
    }

    [Fact]
    public async Task ListExecutions_FollowsNextToken()
    {
        _handler.Answers.Enqueue((HttpStatusCode.OK, """{"pipelineExecutionSummaries":[{"pipelineExecutionId":"e-3","status":"InProgress","startTime":1764237600.5}],"nextToken":"t2"}"""));
        _handler.Answers.Enqueue((HttpStatusCode.OK, """{"pipelineExecutionSummaries":[{"pipelineExecutionId":"e-2","status":"Succeeded"},{"pipelineExecutionId":"e-1","status":"Stopped"}]}"""));

        var list = await New().ListPipelineExecutionsAsync("p");

        Assert.Equal(["e-3", "e-2", "e-1"], list.Select(e => e.ExecutionId));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764237600500), list[0].StartedAt);
        Assert.Contains("\"nextToken\":\"t2\"", _handler.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_IsRetried_NotFound_IsTyped()
    {
        _handler.Answers.Enqueue((HttpStatusCode.BadRequest, """{"__type":"ThrottlingException","message":"Rate exceeded"}"""));
        _handler.Answers.Enqueue((HttpStatusCode.OK, """{"pipelineName":"p","pipelineVersion":1,"stageStates":[]}"""));
        _handler.Answers.Enqueue((HttpStatusCode.BadRequest, """{"__type":"PipelineNotFoundException","message":"Account '123' does not have a pipeline with name 'nope'"}"""));
        var client = New();

        Assert.Empty((await client.GetPipelineStateAsync("p")).Stages);
        Assert.Equal(1, client.Retries);
        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => client.GetPipelineStateAsync("nope"));

        Assert.Equal(("PipelineNotFoundException", AwsErrorKind.Other), (ex.AwsErrorCode, ex.Kind));
        Assert.Contains("does not have a pipeline", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, client.Retries);
    }

    private sealed class Replay : HttpMessageHandler
    {
        public Queue<(HttpStatusCode Status, string Body)> Answers { get; } = new();

        public List<(string Target, string? ContentType, string Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.Headers.GetValues("X-Amz-Target").Single(), request.Content!.Headers.ContentType?.MediaType, await request.Content.ReadAsStringAsync(cancellationToken)));
            var (status, body) = Answers.Dequeue();
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1") };
        }
    }
}
