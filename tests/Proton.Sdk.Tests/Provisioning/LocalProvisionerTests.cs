using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Tests.Provisioning;

public sealed class LocalProvisionerTests : IDisposable
{
    private const string Template = """
        Parameters:
          Env:
            Type: String
            Default: dev
          Password:
            Type: String
            NoEcho: true
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub '${Env}-bucket'
          Topic:
            Type: AWS::SNS::Topic
        Outputs:
          Literal:
            Value: hello
          EnvName:
            Value: !Ref Env
          Sub:
            Value: !Sub 'arn:${AWS::Partition}:s3:::${Env}-${AWS::Region}-${AWS::AccountId}-${!Literal}'
          Joined:
            Value: !Join [',', [a, !Ref Env, !Select [1, [x, y]]]]
          BucketRef:
            Value: !Ref Bucket
          BucketArn:
            Value: !GetAtt Bucket.Arn
          LongForm:
            Value:
              Fn::GetAtt: [Topic, TopicName]
          Imported:
            Value: !ImportValue other-stack-output
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("proton-local-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private LocalProvisioner New() => new(new LocalProvisionerOptions { RootDirectory = _root, Region = "eu-west-1", AccountId = "111122223333" });

    private static DeployRequest Request(string body = Template, string password = "s3cr3t-value") => new()
    {
        StackName = "app",
        TemplateBody = body,
        Parameters = new Dictionary<string, string> { ["Password"] = password },
        SecretValues = [password],
        DeploymentId = "d-1",
    };

    [Fact]
    public async Task Deploy_ResolvesStaticOutputs_AndMarksTheRest()
    {
        var events = new List<ProvisioningEvent>();
        var result = await New().DeployAsync(Request(), new InlineProgress(events.Add));

        Assert.Equal(ProvisionStatus.Succeeded, result.Status);
        Assert.Equal(new Dictionary<string, string>
        {
            ["Literal"] = "hello",
            ["EnvName"] = "dev",
            ["Sub"] = "arn:aws:s3:::dev-eu-west-1-111122223333-${Literal}",
            ["Joined"] = "a,dev,y",
            ["BucketRef"] = "local:app:Bucket",
            ["BucketArn"] = "local:app:Bucket.Arn",
            ["LongForm"] = "local:app:Topic.TopicName",
            ["Imported"] = "local:app:unresolved:Imported",
        }, result.Outputs.ToDictionary());
        Assert.Equal(["app CREATE_IN_PROGRESS", "Bucket CREATE_IN_PROGRESS", "Bucket CREATE_COMPLETE", "Topic CREATE_IN_PROGRESS", "Topic CREATE_COMPLETE", "app CREATE_COMPLETE"],
            events.Select(e => $"{e.Resource} {e.EngineStatus}"));
        var described = await New().DescribeAsync("app");
        Assert.Equal(("CREATE_COMPLETE", "d-1"), (described!.EngineStatus, described.LastDeploymentId));
    }

    [Fact]
    public async Task Deploy_NeverWritesSecretsToDisk()
    {
        await New().DeployAsync(Request(Template.Replace("hello", "s3cr3t-value", StringComparison.Ordinal)));

        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("s3cr3t", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Redeploy_SameInputs_IsNoChange_AndPlanShowsAddModifyRemove()
    {
        var p = New();
        await p.DeployAsync(Request());
        Assert.Equal(ProvisionStatus.NoChanges, (await p.DeployAsync(Request())).Status);

        var changed = Template.Replace("  Topic:\n    Type: AWS::SNS::Topic\n", "  Queue:\n    Type: AWS::SQS::Queue\n", StringComparison.Ordinal);
        var plan = await p.PlanAsync(Request(changed) with { Parameters = new Dictionary<string, string> { ["Password"] = "x", ["Env"] = "prod" } });

        Assert.True(plan.StackExists);
        Assert.Equal(
            [new ResourceChange(ResourceChangeAction.Modify, "Bucket", "AWS::S3::Bucket") { MayReplace = true }, new ResourceChange(ResourceChangeAction.Add, "Queue", "AWS::SQS::Queue"), new ResourceChange(ResourceChangeAction.Remove, "Topic", "AWS::SNS::Topic")],
            plan.Changes);
        Assert.Equal(ProvisionStatus.NoChanges, (await p.DeployAsync(Request())).Status); // planning changed nothing
    }

    [Fact]
    public async Task Destroy_RemovesTheStack_AndAMissingStackIsASuccess()
    {
        var p = New();
        await p.DeployAsync(Request());

        Assert.Equal(ProvisionStatus.Succeeded, (await p.DestroyAsync("app")).Status);
        Assert.Null(await p.DescribeAsync("app"));
        Assert.False(Directory.Exists(p.StackDirectory("app")));
        Assert.Equal(ProvisionStatus.Succeeded, (await p.DestroyAsync("app")).Status);
    }

    [Theory]
    [InlineData("Resources: [", "provisioning.invalid-template")]
    [InlineData("Outputs: {}", "provisioning.invalid-template")]
    [InlineData("Resources:\n  X:\n    Properties: {}", "provisioning.invalid-template")]
    public async Task BadTemplate_IsATypedError(string body, string code)
    {
        var ex = await Assert.ThrowsAsync<ProvisioningException>(() => New().DeployAsync(new DeployRequest { StackName = "app", TemplateBody = body }));
        Assert.Equal(code, ex.ErrorCode);
        Assert.False(Directory.Exists(Path.Combine(_root, "app")));
    }

    [Fact]
    public async Task MissingOrUnknownParameter_And_BadStackName_AreRefused()
    {
        Assert.Equal("provisioning.missing-parameter", (await Assert.ThrowsAsync<ProvisioningException>(() => New().DeployAsync(Request() with { Parameters = new Dictionary<string, string>() }))).ErrorCode);
        Assert.Equal("provisioning.unknown-parameter", (await Assert.ThrowsAsync<ProvisioningException>(() => New().DeployAsync(Request() with { Parameters = new Dictionary<string, string> { ["Password"] = "x", ["Nope"] = "y" } }))).ErrorCode);
        await Assert.ThrowsAsync<ArgumentException>(() => New().DeployAsync(Request() with { StackName = "../escape" }));
    }

    private sealed class InlineProgress(Action<ProvisioningEvent> action) : IProgress<ProvisioningEvent>
    {
        public void Report(ProvisioningEvent value) => action(value);
    }

    [Fact]
    public async Task State_HoldsNoHashThatASecretCanBeCheckedAgainstOffline()
    {
        var secretTemplate = Template.Replace("BucketName: !Sub '${Env}-bucket'", "BucketName: hunter2-in-the-template", StringComparison.Ordinal);
        var request = Request(secretTemplate, "hunter2-in-the-template");
        await New().DeployAsync(request);

        var state = await File.ReadAllTextAsync(Path.Combine(_root, "app", "state.json"));
        string Sha(string text) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

        Assert.DoesNotContain("hunter2-in-the-template", state, StringComparison.Ordinal);
        Assert.DoesNotContain(Sha(secretTemplate), state, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_root, ".hash-key")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_root, ".hash-key")));
        }

        // The keyed hash still notices a changed secret, and the same template again is no change.
        Assert.Equal(ProvisionStatus.NoChanges, (await New().DeployAsync(request)).Status);
        Assert.Equal(ProvisionStatus.Succeeded, (await New().DeployAsync(Request(secretTemplate.Replace("hunter2-in-the-template", "other-secret-value", StringComparison.Ordinal), "other-secret-value"))).Status);
    }
}
