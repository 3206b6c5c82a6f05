using System.Diagnostics;
using System.Text.Json;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Terraform.Tests;

/// <summary>
/// A service update in Proton's pull-request mode, with the real terraform as the team's CI: the platform writes each
/// resource's folder into the repository and waits; the test applies the folder with terraform and notifies the outputs.
/// </summary>
public sealed class PullRequestServiceUpdateTests : IDisposable
{
    private const string Manifest = "infrastructure:\n  templates:\n    - file: \"*\"\n      rendering_engine: hcl\n      template_language: terraform\n";

    private readonly TempDir _repo = new();
    private readonly TempDir _root = new();

    public void Dispose()
    {
        _repo.Dispose();
        _root.Dispose();
    }

    [SkippableFact]
    public async Task UpdateService_NewInstanceAppliedByCi_RedeploysThePipelineOnceWithItsOutputs_AndAFailedOneIsDestroyedAgain()
    {
        Skip.If(TestBundles.Terraform is null, TestBundles.NoTerraform);
        var options = new ProtonPlatformOptions();
        options.Provisioners[ProvisioningMethod.Terraform] = new TerraformProvisioner(new TerraformOptions { RootDirectory = _root.Path, RepositoryPath = _repo.Path });
        var platform = new ProtonPlatform(new InMemoryProtonStore(), new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = Path.Combine(_root.Path, "stacks") }), options);
        await platform.Registry.CreateTemplateAsync("tf-env", TemplateKind.Environment);
        await platform.Registry.CreateTemplateAsync("tf-svc", TemplateKind.Service);
        await platform.Registry.RegisterVersionAsync("tf-env", new InMemoryBundleSource(new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: \"EnvInput\"\n  types:\n    EnvInput:\n      type: object\n      properties:\n        who:\n          type: string\n          default: world\n",
            ["infrastructure/manifest.yaml"] = Manifest,
            ["infrastructure/main.tf"] = "resource \"terraform_data\" \"env\" {\n  input = \"hello-${var.environment.inputs.who}\"\n}\n\noutput \"Greeting\" {\n  value = terraform_data.env.output\n}\n",
        }), new RegisterVersionOptions { Version = "1.0.0" });
        await platform.Registry.RegisterVersionAsync("tf-svc", new InMemoryBundleSource(new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: \"SvcInput\"\n  pipeline_input_type: \"PipeInput\"\n  types:\n    SvcInput:\n      type: object\n      properties:\n        port:\n          type: number\n          default: 80\n    PipeInput:\n      type: object\n      properties:\n        cmd:\n          type: string\n          default: make\n",
            ["instance_infrastructure/manifest.yaml"] = Manifest,
            ["instance_infrastructure/main.tf"] = "resource \"terraform_data\" \"svc\" {\n  input = \"${var.environment.outputs.Greeting}/${var.service_instance.name}:${var.service_instance.inputs.port}\"\n}\n\noutput \"Url\" {\n  value = terraform_data.svc.output\n}\n",
            ["pipeline_infrastructure/manifest.yaml"] = Manifest,
            ["pipeline_infrastructure/main.tf"] = "output \"Targets\" {\n  value = join(\",\", [for i in var.service_instances : i.outputs.Url])\n}\n",
        }), new RegisterVersionOptions { Version = "1.0.0", CompatibleEnvironments = [CompatibleEnvironment.TryParse("tf-env:1")!] });
        await platform.Registry.PublishAsync("tf-env", "1.0.0");
        await platform.Registry.PublishAsync("tf-svc", "1.0.0");

        var env = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "tf-env" });
        await NotifyAppliedAsync(platform, env, "dev");
        var created = await platform.CreateServiceAsync(new CreateServiceRequest { Name = "web", TemplateName = "tf-svc", Spec = Spec("a") });
        await NotifyAppliedAsync(platform, Assert.Single(created.Deployments), Path.Combine("dev", "a"));
        var pipeline = (await platform.GetServiceAsync("web"))!.Pipeline!;
        await NotifyAppliedAsync(platform, (await platform.GetDeploymentAsync(pipeline.LastAttemptedDeploymentId!))!, Path.Combine("pipelines", "web"));
        Assert.Equal("hello-world/a:80", (await platform.GetServiceAsync("web"))!.Pipeline!.Outputs["Targets"]);

        var update = await platform.UpdateServiceAsync("web", Spec("a", "b"));

        var b = Assert.Single(update.Deployments);
        Assert.Equal((DeploymentStatus.AwaitingExternalApply, ServiceStatus.UpdateInProgress), (b.Status, update.Service!.Status));
        Assert.DoesNotContain("/b:", await File.ReadAllTextAsync(Path.Combine(_repo.Path, "pipelines", "web", "proton.auto.tfvars.json")), StringComparison.Ordinal);
        await NotifyAppliedAsync(platform, b, Path.Combine("dev", "b"));
        var service = (await platform.GetServiceAsync("web"))!;
        Assert.Equal(ServiceStatus.Active, service.Status);
        var redeploy = (await platform.GetDeploymentAsync(service.Pipeline!.LastAttemptedDeploymentId!))!;
        Assert.Equal(DeploymentStatus.AwaitingExternalApply, redeploy.Status);
        Assert.Equal(2, (await platform.ListDeploymentsAsync(serviceName: "web")).Count(d => d.TargetType == DeploymentTargetType.ServicePipeline));
        await NotifyAppliedAsync(platform, redeploy, Path.Combine("pipelines", "web"));
        Assert.Equal("hello-world/a:80,hello-world/b:80", (await platform.GetServiceAsync("web"))!.Pipeline!.Outputs["Targets"]);

        // A new instance whose CI apply fails: Proton's failed create, so it is destroyed again, through the repository too.
        var failing = Assert.Single((await platform.UpdateServiceAsync("web", Spec("a", "b", "c"))).Deployments);
        await platform.NotifyDeploymentAsync(failing.Id, succeeded: false, statusMessage: "terraform apply failed in CI");
        service = (await platform.GetServiceAsync("web"))!;
        Assert.Equal(ServiceStatus.UpdateFailed, service.Status);
        Assert.True(service.StatusMessage!.Contains("web/c: Failed - terraform apply failed in CI; new instances removed, nothing deleted (the removal of web/c waits for its external destroy", StringComparison.Ordinal), service.StatusMessage);
        Assert.True(File.Exists(Path.Combine(_repo.Path, "dev", "c", ExternalApply.DeleteMarkerFile)));
        var destroy = (await platform.GetServiceInstanceAsync("web", "c"))!.LastAttemptedDeploymentId!;
        Assert.Equal(DeploymentStatus.DeleteComplete, (await platform.NotifyDeploymentAsync(destroy, succeeded: true)).Status);
        Assert.Equal(["a", "b"], (await platform.ListServiceInstancesAsync("web")).Select(i => i.Name));
        Assert.Equal(2, (await platform.ListDeploymentsAsync(serviceName: "web")).Count(d => d.TargetType == DeploymentTargetType.ServicePipeline));
        Assert.All(await platform.ListDeploymentsAsync(), d => Assert.True(d.IsFinished, $"{d.Id}: {d.Status}"));
    }

    private static ServiceSpec Spec(params string[] instances) => new()
    {
        Instances = instances.Select(i => new ServiceInstanceSpec(i, "dev", new Dictionary<string, object?>())).ToList(),
    };

    /// <summary>What the team's CI does with the folder the deployment wrote: terraform init and apply, then the outputs back to the platform.</summary>
    private async Task NotifyAppliedAsync(ProtonPlatform platform, DeploymentRecord waiting, string folder)
    {
        Assert.Equal(DeploymentStatus.AwaitingExternalApply, waiting.Status);
        var dir = Path.Combine(_repo.Path, folder);
        await TerraformAsync(dir, "init", "-input=false", "-no-color");
        await TerraformAsync(dir, "apply", "-auto-approve", "-input=false", "-no-color");
        using var json = JsonDocument.Parse(await TerraformAsync(dir, "output", "-json"));
        var outputs = json.RootElement.EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetProperty("value") is { ValueKind: JsonValueKind.String } v ? v.GetString()! : o.Value.GetProperty("value").GetRawText());
        Assert.Equal(DeploymentStatus.Succeeded, (await platform.NotifyDeploymentAsync(waiting.Id, succeeded: true, outputs)).Status);
    }

    private static async Task<string> TerraformAsync(string dir, params string[] args)
    {
        var start = new ProcessStartInfo(TestBundles.Terraform!) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["TF_IN_AUTOMATION"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"terraform {string.Join(' ', args)} in {dir}: {await stderr}");
        return await stdout;
    }
}
