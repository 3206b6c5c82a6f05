using System.Net;
using System.Text;
using Amazon.Runtime;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Sts;

namespace Proton.Sdk.Aws.Tests.Sts;

/// <summary>STS GetCallerIdentity (Query protocol, response shape from AWS's API reference) through a fake transport.</summary>
public sealed class StsAccountIdSourceTests
{
    private sealed class FakeSts : HttpMessageHandler
    {
        public Queue<HttpStatusCode> Answers { get; } = new();

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            var status = Answers.Count > 0 ? Answers.Dequeue() : HttpStatusCode.OK;
            var body = status == HttpStatusCode.OK
                ? "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::210987654321:user/ci</Arn><UserId>AIDAEXAMPLE</UserId><Account>210987654321</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
                : "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error><RequestId>r</RequestId></ErrorResponse>";
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };
        }
    }

    private static AwsConnectionOptions Connection => new() { Region = "us-east-1", ServiceUrl = "http://sts.test", Credentials = new BasicAWSCredentials("a", "b"), MaxAttempts = 1 };

    [Fact]
    public async Task AccountId_FromGetCallerIdentity_AskedOncePerSource()
    {
        using var handler = new FakeSts();
        using var source = new StsAccountIdSource(Connection, handler);

        Assert.Equal("210987654321", await source.GetAccountIdAsync());
        Assert.Equal("210987654321", await source.GetAccountIdAsync());

        var body = Assert.Single(handler.Bodies);
        Assert.Contains("Action=GetCallerIdentity", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedCall_IsUnknown_AndNotCached()
    {
        using var handler = new FakeSts();
        handler.Answers.Enqueue(HttpStatusCode.Forbidden);
        using var source = new StsAccountIdSource(Connection, handler);

        Assert.Null(await source.GetAccountIdAsync());
        Assert.Equal("210987654321", await source.GetAccountIdAsync());
        Assert.Equal(2, handler.Bodies.Count);
    }
}
