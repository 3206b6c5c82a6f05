using Proton.Sdk.Provisioning;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Terraform.Tests;

/// <summary>The provisioner against the real terraform CLI, offline: terraform_data, locals, variables and outputs only.</summary>
public sealed class TerraformProvisionerTests : IDisposable
{
    private const string EnvironmentTf = """
        locals {
          greeting = "hello-${var.environment.inputs.who}"
        }

        resource "terraform_data" "env" {
          input = local.greeting
        }

        resource "terraform_data" "pinned" {
          triggers_replace = var.environment.inputs.who
        }

        output "Greeting" {
          value = terraform_data.env.output
        }

        output "Count" {
          value = tonumber(var.environment.inputs.count) + 1
        }

        output "Tags" {
          value = var.proton_tags
        }
        """;

    private const string InstanceTf = """
        resource "terraform_data" "svc" {
          input = "${var.environment.outputs.Greeting}/${var.service.name}/${var.service_instance.name}/${var.service_instance.inputs.port}"
        }

        output "Url" {
          value = terraform_data.svc.output
        }
        """;

    private readonly TempDir _root = new();

    public void Dispose() => _root.Dispose();

    private TerraformProvisioner New(Action<TerraformOptions>? configure = null)
    {
        var options = new TerraformOptions { RootDirectory = _root.Path };
        configure?.Invoke(options);
        return new TerraformProvisioner(options);
    }

    private static DeployRequest Env(string who, string tf = EnvironmentTf, IReadOnlyCollection<string>? secrets = null)
        => TestBundles.Request("proton-dev", TestBundles.Part(InfrastructurePartKind.Infrastructure, ("main.tf", tf)), TestBundles.Environment("dev", ("who", who), ("count", 2L)), secrets);

    [SkippableFact]
    public async Task Deploy_CreatesTheStack_ReportsEventsAndOutputs_AndOutputsFlowToAnInstance()
    {
        Skip.If(TestBundles.Terraform is null, TestBundles.NoTerraform);
        var provisioner = New();
        var events = new SyncProgress();

        var env = await provisioner.DeployAsync(Env("world"), events);

        Assert.True(env.Status == ProvisionStatus.Succeeded, env.Message);
        Assert.Equal((StackState.Succeeded, "apply_complete"), (env.State, env.EngineStatus));
        Assert.Equal("hello-world", env.Outputs["Greeting"]);
        Assert.Equal("3", env.Outputs["Count"]);
        Assert.Equal("{\"proton:account\":\"123456789012\",\"proton:environment\":\"arn:aws:proton:us-east-1:123456789012:environment/dev\",\"proton:template\":\"arn:aws:proton:us-east-1:123456789012:environment-template/tf-env\"}", env.Outputs["Tags"]);
        var created = events.Events.Where(e => e.Resource == "terraform_data.env").ToList();
        Assert.Equal([(ResourceEventStatus.InProgress, "apply_start"), (ResourceEventStatus.Succeeded, "apply_complete")], created.Select(e => (e.Status, e.EngineStatus!)));
        Assert.All(created, e => Assert.Equal((ResourceAction.Create, "terraform_data"), (e.Action, e.ResourceType)));
        Assert.NotNull(created[1].PhysicalId);

        var instanceRequest = TestBundles.Request(
            "proton-web-dev",
            TestBundles.Part(InfrastructurePartKind.InstanceInfrastructure, ("instance.tf", InstanceTf)),
            TestBundles.Instance("dev", env.Outputs, "web", "web-dev", ("port", 8080L)));
        var instance = await provisioner.DeployAsync(instanceRequest);

        Assert.True(instance.IsSuccess, instance.Message);
        Assert.Equal("hello-world/web/web-dev/8080", instance.Outputs["Url"]);
        Assert.True(File.Exists(Path.Combine(provisioner.WorkingDirectory("proton-web-dev"), "proton.service_instance.variables.tf")));
    }

    [SkippableFact]
    public async Task Pipeline_SeesEveryInstanceWithItsOutputsAndEnvironment()
    {
        Skip.If(TestBundles.Terraform is null, TestBundles.NoTerraform);
        const string tf = """
            output "Targets" {
              value = join(",", [for i in var.service_instances : "${i.name}@${i.environment.name}=${i.outputs.Url}:${i.inputs.port}"])
            }

            output "Branch" {
              value = "${var.service.name}/${var.service.branch_name}/${var.pipeline.inputs.dockerfile}"
            }
            """;
        Dictionary<string, object?> Instance(string name, string env, string url) => new()
        {
            ["name"] = name,
            ["inputs"] = new Dictionary<string, object?> { ["port"] = 80L },
            ["outputs"] = new Dictionary<string, object?> { ["Url"] = url },
            ["environment"] = new Dictionary<string, object?> { ["name"] = env, ["outputs"] = new Dictionary<string, object?>() },
        };
        var variables = new Dictionary<string, object?>
        {
            ["service"] = new Dictionary<string, object?> { ["name"] = "web", ["branch_name"] = "main" },
            ["pipeline"] = new Dictionary<string, object?> { ["inputs"] = new Dictionary<string, object?> { ["dockerfile"] = "Dockerfile" } },
            ["service_instances"] = new List<object?> { Instance("web-dev", "dev", "http://dev"), Instance("web-prod", "prod", "http://prod") },
        };

        var result = await New().DeployAsync(TestBundles.Request("proton-web-pipeline", TestBundles.Part(InfrastructurePartKind.PipelineInfrastructure, ("pipeline.tf", tf)), variables));

        Assert.True(result.IsSuccess, result.Message);
        Assert.Equal("web-dev@dev=http://dev:80,web-prod@prod=http://prod:80", result.Outputs["Targets"]);
        Assert.Equal("web/main/Dockerfile", result.Outputs["Branch"]);
    }

    [SkippableFact]
    public async Task CodeBuildHclInputs_AreReadByTerraform()
    {
        Skip.If(TestBundles.Terraform is null, TestBundles.NoTerraform);
        var inputs = Proton.Sdk.Provisioning.CodeBuild.CodeBuildFiles.Inputs(TestBundles.Environment("dev", ("who", "a \"quoted\" ${x} <é>"), ("ports", new List<object?> { 80L, 443L })), "HCL");
        const string tf = "variable \"environment\" {\n  type = any\n}\n\noutput \"who\" {\n  value = var.environment.inputs.who\n}\n\noutput \"ports\" {\n  value = var.environment.inputs.ports\n}\n";
        var dir = Path.Combine(_root.Path, "hcl");
        await TerraformWorkingDirectory.WriteAsync([new BundleFile("main.tf", System.Text.Encoding.UTF8.GetBytes(tf)), new BundleFile("inputs.auto.tfvars", inputs.Content)], dir);
        var provisioner = New(o => o.RootDirectory = _root.Path);
        var request = new DeployRequest { StackName = "hcl", TemplateBody = string.Empty };

        await RunTerraformAsync(dir, "init", "-input=false", "-no-color");
        await RunTerraformAsync(dir, "apply", "-input=false", "-no-color", "-auto-approve");
        var described = await provisioner.DescribeAsync(request.StackName);

        Assert.NotNull(described);
        Assert.Equal("a \"quoted\" ${x} <é>", described.Outputs["who"]);
        Assert.Equal("[80,443]", described.Outputs["ports"]);
    }

    private static async Task RunTerraformAsync(string dir, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(TestBundles.Terraform!, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, output);
    }

    [SkippableFact]
    public async Task Update_PlanShowsChangesReplacementsAndRemovals_ThenApplies_ThenNothingChanges()
    {
        Skip.If(TestBundles.Terraform is null, TestBundles.NoTerraform);
        var provisioner = New();
        Assert.False((await provisioner.PlanAsync(Env("world"))).StackExists);
        Assert.True((await provisioner.DeployAsync(Env("world"))).IsSuccess);
        var withoutPinnedButNew = EnvironmentTf.Replace("resource \"terraform_data\" \"pinned\"", "resource \"terraform_data\" \"fresh\"", StringComparison.Ordinal);

        var plan = await provisioner.PlanAsync(Env("mars"));
        var restructured = await provisioner.PlanAsync(Env("world", withoutPinnedButNew));

        Assert.True(plan.StackExists);
        Assert.Equal([(ResourceChangeAction.Modify, "terraform_data.env"), (ResourceChangeAction.Replace, "terraform_data.pinned")], plan.Changes.Select(c => (c.Action, c.Resource)).Order());
        Assert.Equal((0, 1, 1, 0), (plan.Added, plan.Changed, plan.Replaced, plan.Removed));
        Assert.Equal((1, 1), (restructured.Added, restructured.Removed));
        Assert.Contains(restructured.Changes, c => c is { Action: ResourceChangeAction.Remove, Resource: "terraform_data.pinned", ResourceType: "terraform_data" });

        var events = new SyncProgress();
        var update = await provisioner.DeployAsync(Env("mars"), events);
        var again = await provisioner.DeployAsync(Env("mars"));

        Assert.True(update.Status == ProvisionStatus.Succeeded, update.Message);
        Assert.Equal("hello-mars", update.Outputs["Greeting"]);
        Assert.Contains(events.Events, e => e is { Resource: "terraform_data.env", Action: ResourceAction.Update, Status: ResourceEventStatus.Succeeded });
        Assert.Contains(events.Events, e => e is { Resource: "terraform_data.pinned", Action: ResourceAction.Delete or ResourceAction.Replace });
        Assert.Equal(ProvisionStatus.NoChanges, again.Status);
        Assert.Equal("hello-mars", again.Outputs["Greeting"]);
    }

    [SkippableFact]
    public async Task FailingApply_CarriesTerraformsDiagnosticWithFileAndLine_AndMasksSecrets()
    {
        Skip.If(TestBundles.Terraform is null, TestBundles.NoTerraform);
        const string tf = """
            resource "terraform_data" "ok" {
              input = "fine"
            }

            resource "terraform_data" "check" {
              input = var.environment.inputs.who
              lifecycle {
                postcondition {
                  condition     = !startswith(self.output, "bad")
                  error_message = "who was ${self.output}, which is bad."
                }
              }
            }
            """;
        var provisioner = New();
        var events = new SyncProgress();

        var result = await provisioner.DeployAsync(Env("bad-s3cr3t", tf, ["bad-s3cr3t"]), events);

        Assert.Equal((ProvisionStatus.Failed, StackState.Failed, "apply_errored"), (result.Status, result.State, result.EngineStatus));
        var failure = Assert.Single(result.Failures);
        Assert.Equal(("terraform_data.check", "terraform_data", "main.tf", 9), (failure.Resource, failure.ResourceType, failure.File, failure.Line));
        Assert.Contains("Resource postcondition failed", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("who was ****, which is bad.", failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", result.Message, StringComparison.Ordinal);
        Assert.All(events.Events, e => Assert.DoesNotContain("s3cr3t", e.ToString(), StringComparison.Ordinal));
        Assert.Contains(events.Events, e => e is { Resource: "terraform_data.check", Status: ResourceEventStatus.Failed });
        Assert.Contains(events.Events, e => e is { Resource: "terraform_data.ok", Status: ResourceEventStatus.Succeeded });
    }

    [SkippableFact]
    public async Task InvalidExpression_FailsThePlan_LocatedInTheBundleFile()
    {
        Skip.If(TestBundles.Terraform is null, TestBundles.NoTerraform);
        const string tf = "resource \"terraform_data\" \"a\" {\n  input = var.environment.inputs.who\n}\n\noutput \"x\" {\n  value = local.missing\n}\n";
        var provisioner = New();

        var result = await provisioner.DeployAsync(Env("world", tf));
        var planError = await Assert.ThrowsAsync<ProvisioningException>(() => provisioner.PlanAsync(Env("world", tf)));

        Assert.Equal((ProvisionStatus.Failed, "plan_errored"), (result.Status, result.EngineStatus));
        var failure = Assert.Single(result.Failures);
        Assert.Equal(("main.tf", 6), (failure.File, failure.Line));
        Assert.Contains("Reference to undeclared local value", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(ProvisioningErrorCodes.PlanFailed, planError.ErrorCode);
        Assert.Contains("main.tf:6", planError.Message, StringComparison.Ordinal);
        Assert.Null(await provisioner.DescribeAsync("proton-dev"));
    }

    [SkippableFact]
    public async Task Describe_ReadsTheState_AndDestroy_RemovesEverything()
    {
        Skip.If(TestBundles.Terraform is null, TestBundles.NoTerraform);
        var provisioner = New();
        Assert.Null(await provisioner.DescribeAsync("proton-dev"));
        await provisioner.DeployAsync(Env("world"));

        var described = await provisioner.DescribeAsync("proton-dev");
        var events = new SyncProgress();
        var destroyed = await provisioner.DestroyAsync(Env("world"), events);
        var afterwards = await provisioner.DescribeAsync("proton-dev");
        var again = await provisioner.DestroyAsync("never-deployed");

        Assert.NotNull(described);
        Assert.Equal((StackState.Succeeded, "apply_complete", "d-proton-dev"), (described.State, described.EngineStatus, described.LastDeploymentId));
        Assert.Equal("hello-world", described.Outputs["Greeting"]);
        Assert.Equal((ProvisionStatus.Succeeded, StackState.Deleted), (destroyed.Status, destroyed.State));
        Assert.Contains(events.Events, e => e is { Resource: "terraform_data.env", Action: ResourceAction.Delete, Status: ResourceEventStatus.Succeeded });
        Assert.Null(afterwards);
        Assert.Equal((ProvisionStatus.Succeeded, StackState.NotFound), (again.Status, again.State));
    }

    [SkippableFact]
    public async Task Cancel_InterruptsTerraform_WhichReleasesItsStateLock()
    {
        Skip.If(TestBundles.Terraform is null, TestBundles.NoTerraform);
        const string tf = """
            resource "terraform_data" "slow" {
              provisioner "local-exec" {
                command = "sleep 120"
              }
            }
            """;
        var provisioner = New();
        using var cts = new CancellationTokenSource();
        var events = new SyncProgress(e =>
        {
            if (e is { Resource: "terraform_data.slow", Status: ResourceEventStatus.InProgress })
            {
                cts.Cancel();
            }
        });

        var deploy = provisioner.DeployAsync(Env("world", tf), events, cts.Token);
        var finished = await Task.WhenAny(deploy, Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.Same(deploy, finished);
        var result = await deploy;
        Assert.Equal((ProvisionStatus.Cancelled, "cancelled"), (result.Status, result.EngineStatus));
        var dir = provisioner.WorkingDirectory("proton-dev");
        Assert.False(File.Exists(Path.Combine(dir, ".terraform.tfstate.lock.info")));
        Assert.True((await provisioner.DestroyAsync("proton-dev")).IsSuccess);
    }

    [Fact]
    public async Task PullRequestMode_WritesProtonsLayout_AndWaitsForAnExternalApply_WithoutRunningTerraform()
    {
        using var repo = new TempDir();
        Directory.CreateDirectory(Path.Combine(repo.Path, "environments"));
        var provisioner = New(o =>
        {
            o.RepositoryPath = repo.Path;
            o.ExecutablePath = "/nonexistent/terraform";
        });
        var instance = TestBundles.Request("proton-web-dev", TestBundles.Part(InfrastructurePartKind.InstanceInfrastructure, ("instance.tf", InstanceTf)), TestBundles.Instance("dev", new Dictionary<string, string> { ["Greeting"] = "hi" }, "web", "web-dev"));

        var env = await provisioner.DeployAsync(Env("world"));
        var inst = await provisioner.DeployAsync(instance);
        var delete = await provisioner.DestroyAsync(instance);

        Assert.True(ExternalApply.IsAwaiting(env));
        Assert.Equal(ProvisionStatus.AwaitingExternalApply, env.Status);
        Assert.Equal((StackState.InProgress, ExternalApply.EngineStatus), (env.State, env.EngineStatus));
        Assert.Equal(["main.tf", "proton.auto.tfvars.json", "proton.environment.variables.tf"], Directory.GetFiles(Path.Combine(repo.Path, "environments", "dev")).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order());
        Assert.True(ExternalApply.IsAwaiting(inst));
        Assert.True(File.Exists(Path.Combine(repo.Path, "environments", "dev", "web-dev", "proton.service_instance.variables.tf")));
        Assert.Equal(ExternalApply.DestroyEngineStatus, delete.EngineStatus);
        Assert.True(File.Exists(Path.Combine(repo.Path, "environments", "dev", "web-dev", ExternalApply.DeleteMarkerFile)));
        Assert.False(Directory.Exists(_root.Path) && Directory.EnumerateFileSystemEntries(_root.Path).Any());
    }

    [Fact]
    public async Task MissingExecutable_IsATypedError()
    {
        var provisioner = New(o => o.ExecutablePath = "/nonexistent/terraform");

        var ex = await Assert.ThrowsAsync<ProvisioningException>(() => provisioner.DeployAsync(Env("world")));

        Assert.Equal(TerraformErrorCodes.StartFailed, ex.ErrorCode);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    public void WorkingDirectory_RefusesNamesThatLeaveTheRoot(string name)
        => Assert.Equal(TerraformErrorCodes.InvalidStackName, Assert.Throws<ProvisioningException>(() => New().WorkingDirectory(name)).ErrorCode);
}
