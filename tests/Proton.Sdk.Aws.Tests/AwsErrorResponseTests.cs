using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.CodePipeline;

namespace Proton.Sdk.Aws.Tests;

/// <summary>Error responses that are not AWS's XML or JSON (an HTML page from a proxy or an emulator) reach the user summarised.</summary>
public sealed class AwsErrorResponseTests
{
    // What moto (Werkzeug) answers when it fails inside: HTTP 500 with an HTML page.
    private const string Page = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n";

    private sealed class Html(HttpStatusCode status, string body, string? requestId) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "text/html") };
            if (requestId is not null)
            {
                response.Headers.Add("x-amzn-RequestId", requestId);
            }

            return Task.FromResult(response);
        }
    }

    private static async Task<T> Drive<T>(FakeTimeProvider clock, Task<T> task)
    {
        while (!task.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        return await task;
    }

    [Fact]
    public async Task CloudFormation_Html500_IsRetried_ThenSummarised_WithoutThePage()
    {
        var clock = new FakeTimeProvider();
        using var handler = new Html(HttpStatusCode.InternalServerError, Page, "req-html-1");
        using var http = new HttpClient(handler);
        var client = new CloudFormationClient(http, new Uri("http://moto.test/"), clock, () => 0.5, maxAttempts: 3);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => Drive(clock, client.DescribeStackAsync("app", CancellationToken.None)));

        Assert.Equal(3, handler.Calls);
        Assert.Equal((AwsErrorKind.ServiceUnavailable, "aws.service-unavailable", "req-html-1"), (ex.Kind, ex.ErrorCode, ex.RequestId));
        Assert.Equal("DescribeStacks: InternalFailure: HTTP 500 (Internal Server Error); the body is not an AWS error response (request id req-html-1)", ex.Message);
        Assert.DoesNotContain("<", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloudFormation_PlainTextBadGateway_WithoutRequestId_IsShortAndNamesTheStatus()
    {
        using var handler = new Html(HttpStatusCode.BadGateway, new string('x', 5000), null);
        using var http = new HttpClient(handler);
        var clock = new FakeTimeProvider();
        var client = new CloudFormationClient(http, new Uri("http://proxy.test/"), clock, () => 0.5, maxAttempts: 1);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => client.DescribeStackAsync("app", CancellationToken.None));

        Assert.StartsWith("DescribeStacks: InternalFailure: HTTP 502 (Bad Gateway): xxxx", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 300, ex.Message);
        Assert.Null(ex.RequestId);
    }

    [Fact]
    public async Task CodePipeline_HtmlError_IsSummarised()
    {
        using var handler = new Html(HttpStatusCode.Forbidden, "<html><head><title>Access Denied</title></head><body>nope</body></html>", "cp-req-9");
        var clock = new FakeTimeProvider();
        using var client = new PipelineStatusClient(new AwsConnectionOptions { Region = "us-east-1", ServiceUrl = "http://cp.test", Credentials = new Amazon.Runtime.BasicAWSCredentials("a", "b") }, handler, clock);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => client.GetPipelineStateAsync("p"));

        Assert.Equal("GetPipelineState: UnknownError: HTTP 403 (Forbidden): Access Denied; the body is not an AWS error response (request id cp-req-9)", ex.Message);
    }

    [Fact]
    public async Task AwsXmlErrors_AreStillReadAsBefore()
    {
        const string xml = "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack [x] does not exist</Message></Error><RequestId>req-x</RequestId></ErrorResponse>";
        using var handler = new Html(HttpStatusCode.BadRequest, xml, "header-id");
        using var http = new HttpClient(handler);
        var client = new CloudFormationClient(http, new Uri("http://cfn.test/"), new FakeTimeProvider(), () => 0.5, maxAttempts: 1);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => client.GetTemplateAsync("x", CancellationToken.None));

        Assert.Equal((AwsErrorKind.Validation, "Stack [x] does not exist", "req-x"), (ex.Kind, ex.ServiceMessage, ex.RequestId));
    }
}
