using Proton.Sdk.Platform;
using Proton.Sdk.Policies;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Tests.Platform;

/// <summary>Upgrade impact on a two-version fleet with the local provisioner: diffs, plans, IAM actions, stateful resources.</summary>
public sealed class UpgradeImpactTests : IDisposable
{
    internal const string V1 = """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: '{{ environment.inputs.cidr }}'
          DataBucket:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: '{{ environment.inputs.name }}-data'
        Outputs:
          VpcId:
            Value: !Ref Vpc

        """;

    /// <summary>Renames the bucket (CloudFormation deletes DataBucket and creates LogsBucket) and adds a topic.</summary>
    internal const string V2Stateful = """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: '{{ environment.inputs.cidr }}'
          LogsBucket:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: '{{ environment.inputs.name }}-data'
          Alarms:
            Type: AWS::SNS::Topic
        Outputs:
          VpcId:
            Value: !Ref Vpc

        """;

    /// <summary>Adds a topic and tags the bucket: the bucket changes in place.</summary>
    internal const string V2Safe = """
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties:
              CidrBlock: '{{ environment.inputs.cidr }}'
          DataBucket:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: '{{ environment.inputs.name }}-data'
              Tags:
                - Key: tier
                  Value: data
          Alarms:
            Type: AWS::SNS::Topic
        Outputs:
          VpcId:
            Value: !Ref Vpc

        """;

    private readonly string _root = Directory.CreateTempSubdirectory("proton-impact-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    internal static string ProviderSchemas => Path.Combine(Infrastructure.Corpus.RepoRoot, "..", "shared", "data", "provider-schemas");

    internal static InMemoryBundleSource EnvBundle(string template) => new(new Dictionary<string, string>
    {
        ["schema/schema.yaml"] = Infrastructure.TestSchemas.Environment("cidr:\n  type: string\n  default: \"10.0.0.0/16\"\nname:\n  type: string\n  default: app"),
        ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["infrastructure/cloudformation.yaml"] = template,
    });

    private async Task<(ProtonPlatform Platform, LocalProvisioner Provisioner)> FleetAsync(string v2, bool permissions = true)
    {
        var provisioner = new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = Path.Combine(_root, "stacks") });
        var options = new ProtonPlatformOptions();
        if (permissions)
        {
            options.UpgradePermissionSource = new ProviderSchemaFolderSource(ProviderSchemas);
        }

        var platform = new ProtonPlatform(new InMemoryProtonStore(), provisioner, options);
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        await PlatformKit.RegisterAsync(platform, "env", EnvBundle(V1), "1.0.0");
        foreach (var (name, cidr) in new[] { ("dev", "10.1.0.0/16"), ("prod", "10.2.0.0/16") })
        {
            var d = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = name, TemplateName = "env", Inputs = new Dictionary<string, object?> { ["cidr"] = cidr, ["name"] = name } });
            Assert.Equal(DeploymentStatus.Succeeded, d.Status);
        }

        await PlatformKit.RegisterAsync(platform, "env", EnvBundle(v2), "1.1.0");
        return (platform, provisioner);
    }

    private async Task<string> StackTemplateAsync(ProtonPlatform platform, LocalProvisioner provisioner, string env)
        => await File.ReadAllTextAsync(Path.Combine(provisioner.StackDirectory((await platform.GetEnvironmentAsync(env))!.StackName!), "template.yaml"));

    [Fact]
    public async Task PlanUpgrade_EachStep_HasItsOwnDiffPlanActionsAndStatefulDeletion()
    {
        var (platform, _) = await FleetAsync(V2Stateful);

        var unanalyzed = await platform.PlanUpgradeAsync("env");
        Assert.All(unanalyzed.Steps, s => Assert.Null(s.Impact)); // the plan reads the index only
        Assert.False(unanalyzed.HasStatefulChanges);

        var plan = await platform.AnalyzeUpgradeAsync(unanalyzed);

        Assert.Equal(["dev", "prod"], plan.Steps.Select(s => s.Target));
        foreach (var step in plan.Steps)
        {
            var impact = Assert.IsType<UpgradeImpact>(step.Impact);
            Assert.Null(impact.Error);
            Assert.StartsWith($"--- {step.Target} 1.0.0\n+++ {step.Target} 1.1.0\n", impact.TemplateDiff, StringComparison.Ordinal);
            Assert.Contains("\n-  DataBucket:\n", impact.TemplateDiff, StringComparison.Ordinal);
            Assert.Contains("\n+  LogsBucket:\n", impact.TemplateDiff, StringComparison.Ordinal);
            Assert.Contains($"BucketName: '{step.Target}-data'", impact.TemplateDiff, StringComparison.Ordinal); // its own inputs

            var stackPlan = Assert.IsType<StackPlan>(impact.Plan);
            Assert.True(stackPlan.StackExists);
            Assert.Equal(
                ["Add Alarms AWS::SNS::Topic", "Add LogsBucket AWS::S3::Bucket", "Remove DataBucket AWS::S3::Bucket"],
                stackPlan.Changes.Select(c => $"{c.Action} {c.Resource} {c.ResourceType}").Order(StringComparer.Ordinal));
            Assert.Equal(["DataBucket"], impact.Deletions.Select(c => c.Resource));
            Assert.Empty(impact.Replacements);
            Assert.Equal([("DataBucket", "AWS::S3::Bucket")], impact.StatefulChanges.Select(c => (c.Resource, c.ResourceType)));
            Assert.True(step.Stateful);
            Assert.Contains("sns:CreateTopic", impact.AddedActions!);
            Assert.DoesNotContain("s3:CreateBucket", impact.AddedActions!);
            Assert.Empty(impact.RemovedActions!);
        }

        Assert.True(plan.HasStatefulChanges);
    }

    [Fact]
    public async Task Upgrade_StatefulDeletion_RefusedWithoutTheOption_NothingDeployed_ThenRunsWithIt()
    {
        var (platform, provisioner) = await FleetAsync(V2Stateful);
        var plan = await platform.PlanUpgradeAsync("env"); // not analyzed: UpgradeAsync computes the impact it needs itself
        var before = await platform.ListDeploymentsAsync();

        var refused = await Assert.ThrowsAsync<PlatformException>(() => platform.UpgradeAsync(plan));

        Assert.Equal(PlatformErrorCodes.StatefulReplacement, refused.ErrorCode);
        Assert.Contains("dev (deletes DataBucket AWS::S3::Bucket)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("prod (deletes DataBucket AWS::S3::Bucket)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before.Count, (await platform.ListDeploymentsAsync()).Count);
        Assert.All(await platform.ListEnvironmentsAsync(), e => Assert.Equal("1.0.0", e.TemplateVersion));
        Assert.Contains("DataBucket:", await StackTemplateAsync(platform, provisioner, "dev"), StringComparison.Ordinal);

        var result = await platform.UpgradeAsync(plan, new UpgradeOptions { AllowStatefulReplacement = true });

        Assert.All(result.Steps, s => Assert.Equal("succeeded", s.Outcome));
        Assert.All(await platform.ListEnvironmentsAsync(), e => Assert.Equal("1.1.0", e.TemplateVersion));
        Assert.DoesNotContain("DataBucket:", await StackTemplateAsync(platform, provisioner, "dev"), StringComparison.Ordinal);
        Assert.Empty((await platform.PlanUpgradeAsync("env")).Steps);
    }

    [Fact]
    public async Task Upgrade_InPlaceChanges_NotStateful_RunsWithoutTheOption()
    {
        var (platform, _) = await FleetAsync(V2Safe, permissions: false);

        var plan = await platform.AnalyzeUpgradeAsync(await platform.PlanUpgradeAsync("env"));

        Assert.False(plan.HasStatefulChanges);
        var impact = plan.Steps[0].Impact!;
        Assert.Empty(impact.Deletions);
        Assert.Empty(impact.StatefulChanges);

        // The local provisioner cannot tell whether a changed property replaces the bucket: it says "may replace".
        var bucket = Assert.Single(impact.Replacements);
        Assert.Equal((ResourceChangeAction.Modify, "DataBucket", true), (bucket.Action, bucket.Resource, bucket.MayReplace));
        Assert.Null(impact.AddedActions); // no permission source configured
        Assert.Contains("+        - Key: tier", impact.TemplateDiff, StringComparison.Ordinal);

        var result = await platform.UpgradeAsync(plan);
        Assert.All(result.Steps, s => Assert.Equal("succeeded", s.Outcome));
    }

    [Fact]
    public async Task PlanUpgrade_TypeChangeOfAStatefulResource_IsAReplacement()
    {
        var (platform, _) = await FleetAsync(V1.Replace("DataBucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: '{{ environment.inputs.name }}-data'", "DataBucket:\n    Type: AWS::DynamoDB::Table", StringComparison.Ordinal));

        var plan = await platform.AnalyzeUpgradeAsync(await platform.PlanUpgradeAsync("env"));

        var change = Assert.Single(plan.Steps[0].Impact!.StatefulChanges);
        Assert.Equal((ResourceChangeAction.Replace, "DataBucket", "AWS::DynamoDB::Table"), (change.Action, change.Resource, change.ResourceType));
        Assert.Equal(["DataBucket"], plan.Steps[0].Impact!.Replacements.Select(c => c.Resource));
        Assert.True(plan.HasStatefulChanges);
    }

    [Fact]
    public void StatefulResourceTypes_CoverDatabasesBucketsTablesAndFileSystems()
    {
        foreach (var type in new[] { "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::EFS::FileSystem", "AWS::FSx::FileSystem" })
        {
            Assert.True(StatefulResourceTypes.Contains(type), type);
        }

        Assert.False(StatefulResourceTypes.Contains("AWS::SNS::Topic"));
        Assert.False(StatefulResourceTypes.Contains("AWS::IAM::Role"));
    }
}
