using System.Text.Json;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Platform;

/// <summary>The load-balanced Fargate bundles from the corpus, unchanged, through create, minor update and delete on the local provisioner and the file store.</summary>
public sealed class CorpusLifecycleTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("proton-corpus-").FullName;

    private static string Sample => Path.Combine(Corpus.Bundles, "aws-samples+aws-proton-cloudformation-sample-templates", "loadbalanced-fargate-svc");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task LoadBalancedFargate_CreateMinorUpdateDelete_OnLocalProvisionerAndFileStore()
    {
        var stacks = Path.Combine(_root, "stacks");
        var platform = new ProtonPlatform(new FileSystemProtonStore(Path.Combine(_root, "store")), new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = stacks }), new ProtonPlatformOptions { DefaultAccountId = "123456789012" });
        await platform.Registry.CreateTemplateAsync("loadbalanced-fargate-env", TemplateKind.Environment);
        await platform.Registry.CreateTemplateAsync("loadbalanced-fargate-svc", TemplateKind.Service);
        var env1 = (await platform.Registry.RegisterVersionAsync("loadbalanced-fargate-env", new DirectoryBundleSource(Path.Combine(Sample, "loadbalanced-fargate-env", "v1")))).Version;
        var svc1 = (await platform.Registry.RegisterVersionAsync("loadbalanced-fargate-svc", new DirectoryBundleSource(Path.Combine(Sample, "loadbalanced-fargate-svc", "v1")))).Version;
        await platform.Registry.PublishAsync(env1.TemplateName, env1.Version);
        await platform.Registry.PublishAsync(svc1.TemplateName, svc1.Version);
        var envSpec = (EnvironmentSpec)(await SpecParser.ParseFileAsync(Path.Combine(Sample, "specs", "env-spec.yaml"))).GetSpecOrThrow();
        var svcSpec = (ServiceSpec)(await SpecParser.ParseFileAsync(Path.Combine(Sample, "specs", "svc-spec.yaml"))).GetSpecOrThrow();
        svcSpec = svcSpec with { Instances = [.. svcSpec.Instances, svcSpec.Instances[0] with { Name = "frontend-prod" }] };

        var envDeployment = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "Beta", TemplateName = env1.TemplateName, Inputs = envSpec.Spec });
        Assert.Equal(DeploymentStatus.Succeeded, envDeployment.Status);
        var env = (await platform.GetEnvironmentAsync("Beta"))!;
        var envDir = Path.Combine(stacks, env.StackName!);
        Assert.Contains("CIDR: '10.0.0.0/16'", await File.ReadAllTextAsync(Path.Combine(envDir, "template.yaml")), StringComparison.Ordinal);
        Assert.Equal($"local:{env.StackName}:VPC", env.Outputs["VpcId"]);
        Assert.Equal($"local:{env.StackName}:ECSTaskExecutionRole.Arn", env.Outputs["ECSTaskExecutionRole"]);
        Assert.Equal(env.Outputs, JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(Path.Combine(envDir, "outputs.json"))));

        var service = await platform.CreateServiceAsync(new CreateServiceRequest { Name = "frontend", TemplateName = svc1.TemplateName, Spec = svcSpec, RepositoryId = "org/frontend", BranchName = "main", RepositoryConnectionArn = "arn:aws:codestar-connections:us-east-1:123456789012:connection/x" });
        Assert.True(service.Succeeded, string.Join("; ", service.Deployments.Select(d => d.StatusMessage)));
        Assert.Equal(3, service.Deployments.Count);
        var instance = (await platform.GetServiceInstanceAsync("frontend", "frontend-dev"))!;
        var instanceTemplate = await File.ReadAllTextAsync(Path.Combine(stacks, instance.StackName!, "template.yaml"));
        Assert.Contains(env.Outputs["ClusterName"], instanceTemplate, StringComparison.Ordinal);
        var pipelineTemplate = await File.ReadAllTextAsync(Path.Combine(stacks, (await platform.GetServiceAsync("frontend"))!.Pipeline!.StackName!, "template.yaml"));
        Assert.Contains("frontend-prod", pipelineTemplate, StringComparison.Ordinal);
        Assert.Contains("frontend-dev", pipelineTemplate, StringComparison.Ordinal);

        // A minor version of the environment template: one new optional input, registered from the same files.
        var files = Directory.EnumerateFiles(Path.Combine(Sample, "loadbalanced-fargate-env", "v1"), "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(Path.Combine(Sample, "loadbalanced-fargate-env", "v1"), f).Replace('\\', '/'), File.ReadAllText);
        files["schema/schema.yaml"] = files["schema/schema.yaml"].Replace("        vpc_cidr:\n", "        log_retention_days:\n          type: number\n          default: 7\n        vpc_cidr:\n", StringComparison.Ordinal);
        var env11 = await platform.Registry.RegisterVersionAsync(env1.TemplateName, new InMemoryBundleSource(files));
        Assert.Equal("1.1.0", env11.Version.Version);
        await platform.Registry.PublishAsync(env1.TemplateName, "1.1.0");
        var minor = await platform.UpdateEnvironmentAsync("Beta", new UpdateRequest { UpdateType = DeploymentUpdateType.MinorVersion });
        Assert.Equal((DeploymentStatus.Succeeded, "1.1.0", 7L), (minor!.Status, (await platform.GetEnvironmentAsync("Beta"))!.TemplateVersion, Convert.ToInt64(minor.TargetState!.Inputs["log_retention_days"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("No changes.", minor.StatusMessage); // the new input is not used by the IaC: the stack is unchanged
        Assert.Empty(minor.DependentsToRedeploy); // same outputs: the instances do not need a redeploy

        // A new (reopened) platform over the same folders sees everything: the state lives on disk.
        var reopened = new ProtonPlatform(new FileSystemProtonStore(Path.Combine(_root, "store")), new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = stacks }));
        Assert.Equal(5, (await reopened.ListDeploymentsAsync()).Count);
        Assert.True((await reopened.DeleteServiceAsync("frontend")).Succeeded);
        Assert.Equal(DeploymentStatus.DeleteComplete, (await reopened.DeleteEnvironmentAsync("Beta")).Status);
        Assert.Empty(Directory.EnumerateDirectories(stacks));
        Assert.Equal(9, (await reopened.ListDeploymentsAsync()).Count);
    }
}
