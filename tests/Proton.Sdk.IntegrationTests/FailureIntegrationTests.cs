using Proton.Sdk.Aws;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;

namespace Proton.Sdk.IntegrationTests;

/// <summary>
/// What the endpoint can fail with, through the public API: an error from CreateChangeSet, an HTTP 500 HTML page on
/// DescribeStacks (moto's own, for a request it cannot serve), and throttling (set up in the transport: moto does not
/// throttle). Retried, then a clear, short error.
/// </summary>
public sealed class FailureIntegrationTests : IDisposable
{
    private readonly InterceptingHandler _transport = new();

    public void Dispose() => _transport.Dispose();

    private CloudFormationProvisioner Provisioner(string url, int maxAttempts) => new(new CloudFormationProvisionerOptions(), Moto.Connection(url, maxAttempts), _transport, random: new Random(1));

    private static async Task<ProtonPlatform> PlatformAsync(IProvisioner provisioner)
    {
        var platform = new ProtonPlatform(new InMemoryProtonStore(), provisioner, new ProtonPlatformOptions { DefaultAccountId = "123456789012", StackNamePrefix = "f" + Guid.NewGuid().ToString("N")[..6] });
        await platform.Registry.CreateTemplateAsync("lambda-env", TemplateKind.Environment);
        var v = await platform.Registry.RegisterVersionAsync("lambda-env", new DirectoryBundleSource(Moto.LambdaEnvBundle));
        await platform.Registry.PublishAsync("lambda-env", v.Version.Version);
        return platform;
    }

    [SkippableFact]
    public async Task CreateChangeSet_ServerError_IsRetried_ThenAShortErrorWithoutThePage()
    {
        using var provisioner = Provisioner(Endpoint.Require(), maxAttempts: 2);

        // moto answers a template it cannot parse with HTTP 500 and an HTML page.
        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => provisioner.DeployAsync(new DeployRequest { StackName = "bad-" + Guid.NewGuid().ToString("N")[..8], TemplateBody = "not: [valid" }));

        Assert.Equal(2, _transport.CallsOf("CreateChangeSet"));
        Assert.Equal(("CreateChangeSet", AwsErrorKind.ServiceUnavailable), (ex.Action, ex.Kind));
        Assert.StartsWith("CreateChangeSet: InternalFailure: HTTP 500 (", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("<", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 200, ex.Message);
    }

    [SkippableFact]
    public async Task DescribeStacks_Html500_IsRetried_AndTheDeploymentRecordsAShortReason()
    {
        var url = Endpoint.Require();
        using var provisioner = Provisioner(url, maxAttempts: 3);
        var platform = await PlatformAsync(provisioner);

        // A DescribeStacks that moto cannot serve (a NextToken it never gave) makes it fail with its HTML 500 page.
        _transport.Intercept = (action, body) => action == "DescribeStacks" ? (null, body + "&NextToken=not-a-token") : (null, null);
        var failed = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "html", TemplateName = "lambda-env" });

        Assert.Equal(DeploymentStatus.Failed, failed.Status);
        Assert.True(_transport.CallsOf("DescribeStacks") >= 3, "retried up to MaxAttempts"); // 3 attempts for the first read; the platform may read once more
        Assert.StartsWith("aws.service-unavailable: DescribeStacks: InternalFailure: HTTP 500 (", failed.StatusMessage, StringComparison.Ordinal);
        Assert.EndsWith("the body is not an AWS error response", failed.StatusMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("<", failed.StatusMessage, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Throttling_IsRetried_ThenSucceeds_OrEndsInAClearError()
    {
        var url = Endpoint.Require();
        using var provisioner = Provisioner(url, maxAttempts: 3);
        var platform = await PlatformAsync(provisioner);

        // Two throttled polls, then the endpoint answers: the deployment succeeds.
        var throttled = 0;
        _transport.Intercept = (action, _) => action == "DescribeStackEvents" && Interlocked.Increment(ref throttled) <= 2 ? (InterceptingHandler.Throttling(action), null) : (null, null);
        var created = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "slow", TemplateName = "lambda-env" });
        Assert.True(created.Status == DeploymentStatus.Succeeded, created.StatusMessage);
        Assert.True(_transport.CallsOf("DescribeStackEvents") >= 3);

        // Throttled for good: three attempts, then a short error naming the call.
        _transport.Intercept = (action, _) => action == "CreateChangeSet" ? (InterceptingHandler.Throttling(action), null) : (null, null);
        var update = await platform.UpdateEnvironmentAsync("slow", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion, Inputs = new Dictionary<string, object?> { ["ttl_attribute"] = "gone" } });
        Assert.Equal(DeploymentStatus.Failed, update!.Status);
        Assert.Equal("aws.throttling: CreateChangeSet: Throttling: Rate exceeded (request id throttle-CreateChangeSet)", update.StatusMessage);
        Assert.Equal(1 + 3, _transport.CallsOf("CreateChangeSet"));
    }
}
