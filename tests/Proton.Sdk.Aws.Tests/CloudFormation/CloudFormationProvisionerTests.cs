using System.Net;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Aws.Tests.Storage;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Aws.Tests.CloudFormation;

/// <summary>Contract tests: real CloudFormation response shapes from a fake endpoint, on a fake clock.</summary>
public sealed class CloudFormationProvisionerTests : IDisposable
{
    private const string Template = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\nOutputs:\n  QueueUrl:\n    Value: !Ref Queue\n";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeCloudFormation _fake;
    private readonly HttpClient _http;
    private readonly List<ProvisioningEvent> _events = [];

    public CloudFormationProvisionerTests()
    {
        _fake = new FakeCloudFormation(_clock);
        _http = new HttpClient(_fake);
    }

    public void Dispose() => _http.Dispose();

    private CloudFormationProvisioner New(CloudFormationProvisionerOptions? options = null, Amazon.S3.IAmazonS3? s3 = null)
        => new(new CloudFormationClient(_http, new Uri("https://cloudformation.us-east-1.amazonaws.com/"), _clock, () => 0.5), s3, options ?? new CloudFormationProvisionerOptions { RoleArn = "arn:aws:iam::123456789012:role/proton" }, _clock, () => 0.5);

    private static DeployRequest Request(string id = "dep-1", string body = Template) => new()
    {
        StackName = "app",
        TemplateBody = body,
        DeploymentId = id,
        Tags = new Dictionary<string, string> { ["proton:environment"] = "dev" },
    };

    /// <summary>Runs an operation while moving the fake clock forward in small steps.</summary>
    private async Task<T> Drive<T>(Func<Task<T>> operation, TimeSpan? step = null)
    {
        var task = operation();
        var guard = 0;
        while (!task.IsCompleted)
        {
            _clock.Advance(step ?? TimeSpan.FromMilliseconds(100));
            await Task.Yield();
            Assert.True(++guard < 200_000, "the operation never finished");
        }

        return await task;
    }

    private Task<ProvisionResult> Deploy(CloudFormationProvisioner p, DeployRequest? r = null, CancellationToken ct = default)
        => Drive(() => p.DeployAsync(r ?? Request(), new Inline(_events.Add), ct));

    [Fact]
    public async Task Create_ChangeSetThenExecute_StreamsEventsOnce_ReturnsOutputs()
    {
        _fake.Scripts.Enqueue(new Script { Resources = ["Queue", "Role"] });

        var result = await Deploy(New());

        Assert.Equal((ProvisionStatus.Succeeded, "CREATE_COMPLETE"), (result.Status, result.EngineStatus));
        Assert.Equal("https://sqs/queue", result.Outputs["QueueUrl"]);
        var create = _fake.Calls.Single(c => c.Action == "CreateChangeSet").Form;
        Assert.Equal(("CREATE", "CAPABILITY_IAM", "dep-1", "arn:aws:iam::123456789012:role/proton"), (create["ChangeSetType"], create["Capabilities.member.1"], create["ClientToken"], create["RoleARN"]));
        Assert.Equal(("proton:environment", "dev"), (create["Tags.member.1.Key"], create["Tags.member.1.Value"]));
        Assert.Equal("dep-1", _fake.Calls.Single(c => c.Action == "ExecuteChangeSet").Form["ClientRequestToken"]);
        Assert.Equal(["app CREATE_IN_PROGRESS", "Queue CREATE_IN_PROGRESS", "Queue CREATE_COMPLETE", "Role CREATE_IN_PROGRESS", "Role CREATE_COMPLETE", "app CREATE_COMPLETE"],
            _events.Select(e => $"{e.Resource} {e.EngineStatus}"));
    }

    [Fact]
    public async Task Update_And_NoChanges()
    {
        _fake.Seed("app", "CREATE_COMPLETE", new() { ["QueueUrl"] = "old" });

        var updated = await Deploy(New());
        Assert.Equal((ProvisionStatus.Succeeded, "UPDATE_COMPLETE"), (updated.Status, updated.EngineStatus));
        Assert.Equal("UPDATE", _fake.Calls.Single(c => c.Action == "CreateChangeSet").Form["ChangeSetType"]);

        _fake.ChangeSetFailure = "The submitted information didn't contain changes. Submit different information to create a change set.";
        var noop = await Deploy(New(), Request("dep-2"));

        Assert.Equal(ProvisionStatus.NoChanges, noop.Status);
        Assert.Equal("https://sqs/queue", noop.Outputs["QueueUrl"]);
        Assert.Equal(1, _fake.Calls.Count(c => c.Action == "ExecuteChangeSet"));
        Assert.Contains(_fake.Calls, c => c.Action == "DeleteChangeSet" && c.Form["ChangeSetName"] == "proton-dep-2");
    }

    [Fact]
    public async Task FailedCreate_GivesTheRootCause_ThenTheNextDeployRecreatesTheStack()
    {
        _fake.Scripts.Enqueue(new Script { Outcome = "ROLLBACK_COMPLETE", Failures = [("Queue", "Resource handler returned message: \"Access denied for sqs:CreateQueue\"")] });

        var failed = await Deploy(New());

        Assert.Equal((ProvisionStatus.Failed, "ROLLBACK_COMPLETE"), (failed.Status, failed.EngineStatus));
        var cause = Assert.Single(failed.Failures);
        Assert.Equal(("Queue", "CREATE_FAILED"), (cause.Resource, cause.EngineStatus));
        Assert.Contains("sqs:CreateQueue", cause.Reason, StringComparison.Ordinal);

        var again = await Deploy(New(), Request("dep-2"));

        Assert.Equal(ProvisionStatus.Succeeded, again.Status);
        var actions = _fake.Calls.Select(c => c.Action).ToList();
        Assert.True(actions.LastIndexOf("DeleteStack") < actions.LastIndexOf("CreateChangeSet"));
        Assert.Equal("CREATE", _fake.Calls.Last(c => c.Action == "CreateChangeSet").Form["ChangeSetType"]);
    }

    [Fact]
    public async Task UpdateRollback_IsAFailureWithRootCause()
    {
        _fake.Seed("app", "UPDATE_COMPLETE");
        _fake.Scripts.Enqueue(new Script { Outcome = "UPDATE_ROLLBACK_COMPLETE", Failures = [("Queue", "Invalid value for MessageRetentionPeriod"), ("Role", "Policy is malformed")] });

        var result = await Deploy(New());

        Assert.Equal((ProvisionStatus.Failed, "UPDATE_ROLLBACK_COMPLETE"), (result.Status, result.EngineStatus));
        Assert.Equal(["Queue", "Role"], result.Failures.Select(f => f.Resource));
        Assert.DoesNotContain(result.Failures, f => f.Resource == "Follower");
    }

    [Fact]
    public async Task UpdateRollbackFailed_IsRecoveredWithContinueUpdateRollback()
    {
        _fake.Seed("app", "UPDATE_ROLLBACK_FAILED");

        var result = await Deploy(New());

        Assert.Equal(ProvisionStatus.Succeeded, result.Status);
        var actions = _fake.Calls.Select(c => c.Action).ToList();
        Assert.True(actions.IndexOf("ContinueUpdateRollback") < actions.IndexOf("CreateChangeSet"));
        Assert.Contains(_events, e => e.EngineStatus == "UPDATE_ROLLBACK_COMPLETE" && e.Action == ResourceAction.Rollback && e.Status == ResourceEventStatus.Succeeded);
    }

    [Fact]
    public async Task Throttling_IsRetriedWithBackoff_OtherErrorsAreNot()
    {
        _fake.Errors["DescribeStacks"] = new([(HttpStatusCode.BadRequest, "Throttling", "Rate exceeded"), (HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "try again")]);
        var p = New();

        var result = await Deploy(p);

        Assert.Equal(ProvisionStatus.Succeeded, result.Status);
        Assert.Equal(2, p.Client.Retries);

        _fake.Errors["CreateChangeSet"] = new([(HttpStatusCode.BadRequest, "ValidationError", "Template format error: Unresolved resource dependencies [Nope]")]);
        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => Deploy(New(), Request("dep-2")));
        Assert.Equal((AwsErrorKind.Validation, "aws.validation-error", "req-1"), (ex.Kind, ex.ErrorCode, ex.RequestId));
        Assert.Contains("Unresolved resource dependencies", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrottlingThatNeverStops_GivesUpAfterMaxAttempts()
    {
        _fake.Errors["DescribeStacks"] = new(Enumerable.Repeat((HttpStatusCode.BadRequest, "Throttling", "Rate exceeded"), 10));
        var client = new CloudFormationClient(_http, new Uri("https://cloudformation.us-east-1.amazonaws.com/"), _clock, () => 1.0, maxAttempts: 4);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => Drive(() => client.DescribeStackAsync("app", CancellationToken.None)));

        Assert.Equal(AwsErrorKind.Throttling, ex.Kind);
        Assert.Equal((4, 3), (client.Calls, client.Retries));
    }

    [Fact]
    public async Task Events_ArePaginated_AndEachIsReportedOnceInOrder()
    {
        _fake.EventPageSize = 2;
        _fake.Scripts.Enqueue(new Script { Resources = ["A", "B", "C", "D", "E"], Duration = TimeSpan.FromSeconds(30) });

        await Deploy(New());

        Assert.Equal(12, _events.Count);
        Assert.Equal(_events.Count, _events.Select(e => $"{e.Resource} {e.EngineStatus}").Distinct().Count());
        Assert.Equal(_events.OrderBy(e => e.Timestamp).ToList(), _events);
        Assert.True(_fake.Calls.Count(c => c.Action == "DescribeStackEvents" && c.Form.ContainsKey("NextToken")) > 0);
    }

    [Fact]
    public async Task LargeTemplate_GoesThroughS3_AndDeploysByUrl()
    {
        var s3Handler = new FakeS3Handler();
        using var s3 = S3Clients.Create(new AwsConnectionOptions { ServiceUrl = "http://s3.local", ForcePathStyle = true }, "us-east-1", new BasicAWSCredentials("a", "b"), factory: new FakeHttpClientFactory(s3Handler));
        var big = Template + "# " + new string('x', 60_000) + "\n";

        var result = await Deploy(New(new CloudFormationProvisionerOptions { TemplateBucket = "templates" }, s3), Request(body: big));

        Assert.Equal(ProvisionStatus.Succeeded, result.Status);
        var form = _fake.Calls.Single(c => c.Action == "CreateChangeSet").Form;
        Assert.False(form.ContainsKey("TemplateBody"));
        Assert.StartsWith("http://s3.local/templates/proton-templates/app/", form["TemplateURL"], StringComparison.Ordinal);
        Assert.Contains(s3Handler.Requests, r => r.StartsWith("PUT", StringComparison.Ordinal) && r.Contains("proton-templates/app/", StringComparison.Ordinal));

        var refused = await Assert.ThrowsAsync<ProvisioningException>(() => Deploy(New(), Request("dep-2", big)));
        Assert.Equal("provisioning.template-too-large", refused.ErrorCode);
    }

    [Fact]
    public async Task Cancellation_DuringAnUpdate_CancelsTheUpdate()
    {
        _fake.Seed("app", "UPDATE_COMPLETE");
        _fake.Scripts.Enqueue(new Script { Duration = TimeSpan.FromMinutes(10) });
        using var cts = new CancellationTokenSource();
        var p = New();
        var task = p.DeployAsync(Request(), null, cts.Token);
        for (var i = 0; i < 300 && !task.IsCompleted; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        await cts.CancelAsync();
        var result = await Drive(() => task);

        Assert.Equal(ProvisionStatus.Cancelled, result.Status);
        Assert.Single(_fake.Calls, c => c.Action == "CancelUpdateStack");
    }

    [Fact]
    public async Task StackReplacedUnderItsName_IsNotRead_TheProvisionerFollowsTheStackIdFromCreateChangeSet()
    {
        _fake.Scripts.Enqueue(new Script { Duration = TimeSpan.FromSeconds(20) });
        _fake.AfterCall = action =>
        {
            if (action == "ExecuteChangeSet")
            {
                // While our stack is being created, someone deletes and re-creates a stack of the same name.
                _fake.AfterCall = null;
                _fake.ReplaceByName("app", new() { ["QueueUrl"] = "impostor" });
            }
        };

        var result = await Deploy(New());

        Assert.Equal((ProvisionStatus.Succeeded, "CREATE_COMPLETE"), (result.Status, result.EngineStatus));
        Assert.Equal("https://sqs/queue", result.Outputs["QueueUrl"]);
        var ours = _fake.All.First(s => s.Name == "app").Id;
        var afterCreate = _fake.Calls.SkipWhile(c => c.Action != "CreateChangeSet").Skip(1).Where(c => c.Action is "DescribeStacks" or "DescribeStackEvents" or "ExecuteChangeSet" or "DescribeChangeSet").ToList();
        Assert.NotEmpty(afterCreate);
        Assert.All(afterCreate, c => Assert.Equal(ours, c.Form["StackName"]));
    }

    [Fact]
    public async Task PublicConstructor_TakesTransportClockAndRandom()
    {
        // Everything a host passes goes through the public constructor: the fake endpoint as transport, the fake clock.
        using var p = new CloudFormationProvisioner(
            new CloudFormationProvisionerOptions(),
            new AwsConnectionOptions { Region = "eu-west-1", ServiceUrl = "https://cfn.test", Credentials = new BasicAWSCredentials("a", "b") },
            _fake,
            _clock,
            new Random(7));
        _fake.Scripts.Enqueue(new Script { Duration = TimeSpan.FromMinutes(5) });

        var result = await Deploy(p);

        // The five minutes passed on the fake clock (the system clock would have needed five real minutes), and the
        // requests went through the given transport.
        Assert.Equal(ProvisionStatus.Succeeded, result.Status);
        Assert.True(_clock.GetUtcNow() - _fake.Stacks["app"].FinishedAt!.Value <= TimeSpan.FromSeconds(31), "noticed within a tenth of the wait");
        Assert.Equal(["DescribeStacks", "CreateChangeSet", "DescribeChangeSet"], _fake.Calls.Select(c => c.Action).Take(3));
        Assert.Single(_fake.Calls, c => c.Action == "ExecuteChangeSet");
    }

    [Fact]
    public async Task BusyStack_FailsClearly_OrWaitsByOption()
    {
        _fake.Seed("app", "UPDATE_IN_PROGRESS");

        var busy = await Assert.ThrowsAsync<ProvisioningException>(() => Deploy(New()));
        Assert.Equal("provisioning.busy", busy.ErrorCode);

        var stack = _fake.Stacks["app"];
        stack.Running = (_clock.GetUtcNow() + TimeSpan.FromSeconds(20), "UPDATE_COMPLETE", new Script { Duration = TimeSpan.FromSeconds(20) });
        var waited = await Deploy(New(new CloudFormationProvisionerOptions { WaitWhenBusy = true }), Request("dep-2"));
        Assert.Equal(ProvisionStatus.Succeeded, waited.Status);
    }

    [Fact]
    public async Task Destroy_DeleteFailed_ReportsTheResourcesThatStayed_AndMissingIsSuccess()
    {
        _fake.Seed("app", "UPDATE_COMPLETE");
        _fake.Scripts.Enqueue(new Script { Outcome = "DELETE_FAILED", Duration = TimeSpan.FromSeconds(8) });

        var failed = await Drive(() => New().DestroyAsync("app"));

        Assert.Equal(ProvisionStatus.Failed, failed.Status);
        Assert.Equal(("Bucket", "AWS::S3::Bucket"), (failed.Failures.Single().Resource, failed.Failures.Single().ResourceType));
        Assert.Equal(ProvisionStatus.Succeeded, (await Drive(() => New().DestroyAsync("nothing-here"))).Status);
    }

    [Fact]
    public async Task Plan_DescribesPagedChanges_ThenDeletesTheChangeSet_AndTheReviewStack()
    {
        var plan = await Drive(() => New().PlanAsync(Request()));

        Assert.False(plan.StackExists);
        Assert.Equal([new ResourceChange(ResourceChangeAction.Add, "Queue", "AWS::SQS::Queue"), new ResourceChange(ResourceChangeAction.Replace, "Topic", "AWS::SNS::Topic")], plan.Changes);
        Assert.Contains(_fake.Calls, c => c.Action == "DeleteChangeSet");
        Assert.Contains(_fake.Calls, c => c.Action == "DeleteStack");
        Assert.DoesNotContain(_fake.Calls, c => c.Action == "ExecuteChangeSet");
    }

    [Fact]
    public async Task SecretValues_NeverReachEventsOrMessages()
    {
        _fake.Scripts.Enqueue(new Script { Outcome = "ROLLBACK_COMPLETE", Failures = [("Queue", "value hunter2 is not valid")] });

        var result = await Deploy(New(), Request() with { SecretValues = ["hunter2"] });

        Assert.DoesNotContain("hunter2", result.Failures.Single().Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(_events, e => (e.Reason ?? string.Empty).Contains("hunter2", StringComparison.Ordinal));
        Assert.Contains(_events, e => (e.Reason ?? string.Empty).Contains("value **** is not valid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Describe_ReturnsStatusOutputsAndTheLastToken()
    {
        await Deploy(New());

        var d = await New().DescribeAsync("app");

        Assert.Equal(("CREATE_COMPLETE", "dep-1", "https://sqs/queue"), (d!.EngineStatus, d.LastDeploymentId, d.Outputs["QueueUrl"]));
        Assert.Null(await New().DescribeAsync("nope"));
    }

    [Fact]
    public async Task ClientOperations_ValidateTemplate_GetTemplate_UpdateTerminationProtection()
    {
        _fake.Seed("app", "CREATE_COMPLETE");
        var client = New().Client;

        Assert.Equal(["CAPABILITY_IAM"], await client.ValidateTemplateAsync(Template, null, CancellationToken.None));
        Assert.Empty(await client.ValidateTemplateAsync("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n", null, CancellationToken.None));
        Assert.Equal("Resources: {}", await client.GetTemplateAsync("app", CancellationToken.None));
        await client.UpdateTerminationProtectionAsync("app", true, CancellationToken.None);
        Assert.Equal("true", _fake.Calls.Single(c => c.Action == "UpdateTerminationProtection").Form["EnableTerminationProtection"]);
        var missing = await Assert.ThrowsAsync<AwsServiceException>(() => client.GetTemplateAsync("nope", CancellationToken.None));
        Assert.Equal(AwsErrorKind.Validation, missing.Kind);
    }

    [Theory]
    [InlineData("Resources:\n  R:\n    Type: AWS::SQS::Queue\n", "")]
    [InlineData("Resources:\n  R:\n    Type: AWS::IAM::Role\n", "CAPABILITY_IAM")]
    [InlineData("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: x\n", "CAPABILITY_NAMED_IAM")]
    [InlineData("Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n", "CAPABILITY_AUTO_EXPAND")]
    public void Capabilities_AreDetectedFromTheTemplate(string template, string expected)
        => Assert.Equal(expected, string.Join(",", CloudFormationProvisioner.DetectCapabilities(template)));

    [Theory]
    [InlineData(null, null, null, "us-east-1", "https://cloudformation.us-east-1.amazonaws.com/")]
    [InlineData(null, null, null, "cn-north-1", "https://cloudformation.cn-north-1.amazonaws.com.cn/")]
    [InlineData(null, null, null, "us-gov-west-1", "https://cloudformation.us-gov-west-1.amazonaws.com/")]
    [InlineData(null, null, "http://all:4566", "us-east-1", "http://all:4566/")]
    [InlineData(null, "http://cfn:5000", "http://all:4566", "us-east-1", "http://cfn:5000/")]
    [InlineData("http://option:1", "http://cfn:5000", "http://all:4566", "us-east-1", "http://option:1/")]
    public void Endpoint_FollowsTheSdkOrder(string? option, string? serviceEnv, string? globalEnv, string region, string expected)
    {
        var env = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_CLOUDFORMATION"] = serviceEnv, ["AWS_ENDPOINT_URL"] = globalEnv };
        Assert.Equal(expected, AwsConnection.ResolveEndpoint(new AwsConnectionOptions { ServiceUrl = option }, "CLOUDFORMATION", "cloudformation", region, k => env.GetValueOrDefault(k)).ToString());
    }

    private sealed class Inline(Action<ProvisioningEvent> action) : IProgress<ProvisioningEvent>
    {
        public void Report(ProvisioningEvent value) => action(value);
    }
}

public sealed class DescribeTypeSourceTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly FakeCloudFormation _fake;
    private readonly HttpClient _http;

    public DescribeTypeSourceTests()
    {
        _fake = new FakeCloudFormation(_clock);
        _http = new HttpClient(_fake);
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task DescribeType_ReadsTheSchemasHandlers_AndTheCacheAsksOncePerType()
    {
        var source = new Proton.Sdk.Policies.CachingPermissionSource(new DescribeTypePermissionSource(new CloudFormationClient(_http, new Uri("https://cloudformation.us-east-1.amazonaws.com/"), _clock, () => 0.5)));

        var first = await source.GetAsync("AWS::SQS::Queue");
        await source.GetAsync("AWS::SQS::Queue");

        Assert.Equal(["sqs:CreateQueue"], first!.Handlers["create"]);
        var call = Assert.Single(_fake.Calls, c => c.Action == "DescribeType");
        Assert.Equal(("RESOURCE", "AWS::SQS::Queue"), (call.Form["Type"], call.Form["TypeName"]));
    }

    [Fact]
    public async Task DescribeType_PublicConstructor_SendsThroughTheGivenTransport()
    {
        using var source = new DescribeTypePermissionSource(new AwsConnectionOptions { Region = "us-east-1", ServiceUrl = "https://cfn.test", Credentials = new Amazon.Runtime.BasicAWSCredentials("a", "b") }, _fake, _clock);

        var permissions = await source.GetAsync("AWS::SNS::Topic");

        Assert.Equal(["sqs:CreateQueue"], permissions!.Handlers["create"]);
        Assert.Equal("AWS::SNS::Topic", Assert.Single(_fake.Calls).Form["TypeName"]);
    }

    [Fact]
    public async Task DescribeType_UnknownType_IsNull()
    {
        _fake.Errors["DescribeType"] = new([(HttpStatusCode.BadRequest, "TypeNotFoundException", "The type 'AWS::Nope::Nothing' cannot be found.")]);

        var result = await new DescribeTypePermissionSource(new CloudFormationClient(_http, new Uri("https://cloudformation.us-east-1.amazonaws.com/"), _clock, () => 0.5)).GetAsync("AWS::Nope::Nothing");

        Assert.Null(result);
    }
}
