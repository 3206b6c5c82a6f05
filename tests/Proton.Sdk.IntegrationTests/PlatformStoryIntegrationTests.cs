using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Aws.Sts;
using Proton.Sdk.Platform;
using Proton.Sdk.Templates;

namespace Proton.Sdk.IntegrationTests;

/// <summary>
/// The whole platform story on the CloudFormation provisioner against the endpoint: an environment from a corpus bundle
/// read from S3 (<c>s3://</c> source) into an S3 store; a service with two instances and a pipeline; outputs flowing
/// environment -> instances -> pipeline, each compared with what DescribeStacks (boto3) returns; a spec update; a no-op
/// update; a plan; a minor upgrade of the fleet; a rollback; then service and environment deleted, stacks gone.
/// </summary>
public sealed class PlatformStoryIntegrationTests
{
    private static Dictionary<string, string> Outputs(Dictionary<string, (string Status, Dictionary<string, string> Outputs)?> stacks, string name)
        => stacks[name]?.Outputs ?? throw new Xunit.Sdk.XunitException($"stack {name} does not exist");

    [SkippableFact]
    public async Task WholeStory_EnvironmentServiceTwoInstancesPipeline_UpdateNoOpPlanUpgradeRollbackDelete()
    {
        var url = Endpoint.Require();
        var connection = Moto.Connection(url);
        var bucket = await Moto.NewBucketAsync(url, "proton-story-");
        await Moto.PutAsync(url, bucket, "bundles/lambda-env-v1.tar.gz", Moto.TarGz(Moto.LambdaEnvBundle));
        using var store = new S3ProtonStore(new S3StoreOptions { BucketName = bucket }, connection);
        using var provisioner = new CloudFormationProvisioner(new CloudFormationProvisionerOptions(), connection);
        using var accounts = new StsAccountIdSource(connection);
        var prefix = "st" + Guid.NewGuid().ToString("N")[..6];
        var platform = new ProtonPlatform(store, provisioner, new ProtonPlatformOptions { StackNamePrefix = prefix, AccountIdSource = accounts });

        // Templates: the environment from S3, the service from memory.
        await platform.Registry.CreateTemplateAsync("lambda-env", TemplateKind.Environment);
        using (var source = new S3BundleSource($"s3://{bucket}/bundles/lambda-env-v1.tar.gz", connection))
        {
            var env1 = await platform.Registry.RegisterVersionAsync("lambda-env", source);
            await platform.Registry.PublishAsync("lambda-env", env1.Version.Version);
        }

        await platform.Registry.CreateTemplateAsync("queue-svc", TemplateKind.Service);
        var svc1 = await platform.Registry.RegisterVersionAsync("queue-svc", QueueService.Bundle());
        await platform.Registry.PublishAsync("queue-svc", svc1.Version.Version);

        // Environment: its account comes from STS (moto's account), its outputs are the stack's.
        var envDeployment = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "beta", TemplateName = "lambda-env" });
        Assert.True(envDeployment.Status == DeploymentStatus.Succeeded, envDeployment.StatusMessage);
        var env = (await platform.GetEnvironmentAsync("beta"))!;
        Assert.Equal("123456789012", env.AccountId);
        var stacks = await Moto.DescribeStacksAsync(url, env.StackName!);
        Assert.Equal(Outputs(stacks, env.StackName!), env.Outputs);
        Assert.False(string.IsNullOrEmpty(env.Outputs["TableName"]));

        // Service: two instances and a pipeline; environment -> instances -> pipeline.
        var spec = new ServiceSpec
        {
            Instances = [new ServiceInstanceSpec("one", "beta", new Dictionary<string, object?> { ["greeting"] = "hi" }), new ServiceInstanceSpec("two", "beta", new Dictionary<string, object?>())],
            Pipeline = new Dictionary<string, object?> { ["stage"] = "ci" },
        };
        var created = await platform.CreateServiceAsync(new CreateServiceRequest { Name = "orders", TemplateName = "queue-svc", Spec = spec });
        Assert.True(created.Succeeded, string.Join("; ", created.Deployments.Select(d => $"{d.Target}: {d.StatusMessage}")));
        var one = (await platform.GetServiceInstanceAsync("orders", "one"))!;
        var two = (await platform.GetServiceInstanceAsync("orders", "two"))!;
        var pipeline = (await platform.GetServiceAsync("orders"))!.Pipeline!;
        stacks = await Moto.DescribeStacksAsync(url, one.StackName!, two.StackName!, pipeline.StackName!);
        Assert.Equal(Outputs(stacks, one.StackName!), one.Outputs);
        Assert.Equal(Outputs(stacks, two.StackName!), two.Outputs);
        Assert.Equal(Outputs(stacks, pipeline.StackName!), pipeline.Outputs);
        Assert.Equal((env.Outputs["TableName"], "hi"), (one.Outputs["TableName"], one.Outputs["Greeting"]));
        Assert.Equal("hello", two.Outputs["Greeting"]);
        Assert.Equal((one.Outputs["QueueUrl"], two.Outputs["QueueUrl"], "123456789012", "ci"), (pipeline.Outputs["Instance1Queue"], pipeline.Outputs["Instance2Queue"], pipeline.Outputs["Instance1Account"], pipeline.Outputs["Stage"]));

        // Spec update: instance two's input changes, and so does its stack.
        var updated = await platform.UpdateServiceInstanceAsync("orders", "two", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion, Inputs = new Dictionary<string, object?> { ["greeting"] = "bonjour" } });
        Assert.True(updated!.Status == DeploymentStatus.Succeeded, updated.StatusMessage);
        two = (await platform.GetServiceInstanceAsync("orders", "two"))!;
        Assert.Equal("bonjour", Outputs(await Moto.DescribeStacksAsync(url, two.StackName!), two.StackName!)["Greeting"]);
        var twoAt10 = updated;

        // No-op update: nothing to change.
        var same = await platform.UpdateServiceInstanceAsync("orders", "one", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion });
        Assert.Equal((DeploymentStatus.Succeeded, "No changes."), (same!.Status, same.StatusMessage));

        // A compatible minor, a plan, then the fleet upgraded to it.
        var svc11 = await platform.Registry.RegisterVersionAsync("queue-svc", QueueService.Bundle(minor: true));
        await platform.Registry.PublishAsync("queue-svc", svc11.Version.Version);
        var plan = await platform.PlanUpgradeAsync("queue-svc");
        Assert.Equal("1.1.0", plan.ToVersion);
        Assert.Equal(3, plan.Steps.Count);
        Assert.All(plan.Steps, s => Assert.Equal(("1.0.0", "1.1.0", DeploymentUpdateType.MinorVersion), (s.FromVersion, s.ToVersion, s.UpdateType)));
        var upgrade = await platform.UpgradeAsync(plan, new UpgradeOptions { MaxConcurrency = 2 });
        Assert.False(upgrade.Stopped);
        Assert.All(upgrade.Steps, s => Assert.True(s.Outcome == "succeeded", $"{s.Step.Target}: {s.Outcome} {s.Message}"));
        two = (await platform.GetServiceInstanceAsync("orders", "two"))!;
        Assert.Equal(("1.1.0", "blue"), (two.TemplateVersion, Outputs(await Moto.DescribeStacksAsync(url, two.StackName!), two.StackName!)["Color"]));

        // Rollback of instance two to its deployment before the upgrade: version 1.0.0 and its stack without the new output.
        var rolledBack = await platform.RollbackAsync(twoAt10.Id);
        Assert.True(rolledBack.Status == DeploymentStatus.Succeeded, rolledBack.StatusMessage);
        two = (await platform.GetServiceInstanceAsync("orders", "two"))!;
        var twoStack = Outputs(await Moto.DescribeStacksAsync(url, two.StackName!), two.StackName!);
        Assert.Equal(("1.0.0", "bonjour"), (two.TemplateVersion, twoStack["Greeting"]));
        Assert.False(twoStack.ContainsKey("Color"));

        // Delete the service, then the environment: every stack is gone.
        var deleted = await platform.DeleteServiceAsync("orders");
        Assert.True(deleted.Succeeded, string.Join("; ", deleted.Deployments.Select(d => $"{d.Target}: {d.StatusMessage}")));
        var envGone = await platform.DeleteEnvironmentAsync("beta");
        Assert.Equal(DeploymentStatus.DeleteComplete, envGone.Status);
        stacks = await Moto.DescribeStacksAsync(url, env.StackName!, one.StackName!, two.StackName!, pipeline.StackName!);
        Assert.All(stacks, s => Assert.Null(s.Value));
        Assert.Null(await platform.GetServiceAsync("orders"));
        Assert.Null(await platform.GetEnvironmentAsync("beta"));
    }
}
