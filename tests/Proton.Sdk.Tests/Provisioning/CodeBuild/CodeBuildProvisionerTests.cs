using System.Text.Json.Nodes;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Provisioning.CodeBuild;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Tests.Provisioning.CodeBuild;

public sealed class CodeBuildProvisionerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("proton-cb-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (CodeBuildProvisioner Provisioner, LocalCodeBuildRunner Runner) New(Action<CodeBuildProvisionerOptions>? configure = null)
    {
        var runner = new LocalCodeBuildRunner(new LocalCodeBuildRunnerOptions { RootDirectory = Path.Combine(_root, "runs") });
        var options = new CodeBuildProvisionerOptions { StateDirectory = Path.Combine(_root, "state") };
        configure?.Invoke(options);
        return (new CodeBuildProvisioner(runner, options), runner);
    }

    [Fact]
    public async Task Deploy_RunsTheProvisionCommands_WithProtonsInputsAndVariables_AndReadsProtonOutputs()
    {
        var part = CodeBuildTestBundles.Part(
            [
                "echo \"arn=$RESOURCE_ARN stack=$STACK_NAME team=$TEAM\"",
                "export GREETING=hello",
                "sh write-outputs.sh \"$GREETING\"",
            ],
            files: ("write-outputs.sh", "test -f proton-inputs.json || exit 9\nprintf '[{\"key\":\"Greeting\",\"valueString\":\"%s\"},{\"key\":\"Count\",\"valueString\":\"2\"}]' \"$1\" > proton-outputs.json\n"));
        var (provisioner, runner) = New();
        var events = new CollectingProgress();

        var result = await provisioner.DeployAsync(CodeBuildTestBundles.Request(part), events);

        Assert.True(result.Status == ProvisionStatus.Succeeded, result.Message);
        Assert.Equal((StackState.Succeeded, "SUCCEEDED"), (result.State, result.EngineStatus));
        Assert.Equal(new Dictionary<string, string> { ["Greeting"] = "hello", ["Count"] = "2" }, result.Outputs);
        Assert.Contains(events.Events, e => e.Reason == "arn=arn:aws:proton:us-east-1:123456789012:environment/dev stack=proton-dev team=platform");
        Assert.Contains(events.Events, e => e is { EngineStatus: "COMMAND", Reason: "Running command export GREETING=hello" });
        var inputs = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(runner.SourceDirectory("proton-dev"), CodeBuildFiles.JsonInputsFileName)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"environment":{"name":"dev","inputs":{"who":"world","size":3}}}"""), inputs), inputs!.ToJsonString());
        var described = await provisioner.DescribeAsync("proton-dev");
        Assert.Equal((StackState.Succeeded, "hello", "d-1"), (described!.State, described.Outputs["Greeting"], described.LastDeploymentId));
    }

    [Fact]
    public async Task FailingCommand_StopsTheRun_AndFailsWithTheLogTail_SecretsMasked()
    {
        var part = CodeBuildTestBundles.Part(["echo first", "echo \"boom $SECRET_WORD\" >&2; exit 3", "echo never"]);
        var (provisioner, _) = New(o => o.EnvironmentVariables["SECRET_WORD"] = "s3cr3t");
        var events = new CollectingProgress();

        var result = await provisioner.DeployAsync(CodeBuildTestBundles.Request(part, secrets: ["s3cr3t"]), events);

        Assert.Equal((ProvisionStatus.Failed, StackState.Failed, "FAILED"), (result.Status, result.State, result.EngineStatus));
        var failure = Assert.Single(result.Failures);
        Assert.Contains("exited with 3", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("boom ****", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("first", failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(events.Events, e => e.Reason == "never");
        Assert.All(events.Events, e => Assert.DoesNotContain("s3cr3t", e.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain("s3cr3t", result.Message, StringComparison.Ordinal);
        Assert.Equal(StackState.Failed, (await provisioner.DescribeAsync("proton-dev"))!.State);
    }

    [Fact]
    public async Task Timeout_StopsTheCommands_AndFails()
    {
        var part = CodeBuildTestBundles.Part(["sleep 60"]);
        var (provisioner, _) = New(o => o.Timeout = TimeSpan.FromSeconds(1));

        var run = provisioner.DeployAsync(CodeBuildTestBundles.Request(part));
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(run, finished);
        var result = await run;
        Assert.Equal((ProvisionStatus.Failed, "TIMED_OUT"), (result.Status, result.EngineStatus));
        Assert.Contains("timed out in `sleep 60`", result.Failures.Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_StopsTheCommands()
    {
        var part = CodeBuildTestBundles.Part(["sleep 60"]);
        var (provisioner, _) = New();
        using var cts = new CancellationTokenSource();
        var events = new CollectingProgress(e =>
        {
            if (e.EngineStatus == "COMMAND")
            {
                cts.Cancel();
            }
        });

        var run = provisioner.DeployAsync(CodeBuildTestBundles.Request(part), events, cts.Token);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(run, finished);
        Assert.Equal((ProvisionStatus.Cancelled, "STOPPED"), ((await run).Status, (await run).EngineStatus));
    }

    [Fact]
    public async Task Destroy_RunsTheDeprovisionCommands_AndForgetsTheStack()
    {
        var marker = Path.Combine(_root, "deprovisioned.txt");
        var part = CodeBuildTestBundles.Part(["printf '{\"Url\":\"u\"}' > proton-outputs.json"], ["echo \"gone $STACK_NAME\" > \"$MARKER\""]);
        var (provisioner, _) = New(o => o.EnvironmentVariables["MARKER"] = marker);
        var request = CodeBuildTestBundles.Request(part);
        Assert.Equal("u", (await provisioner.DeployAsync(request)).Outputs["Url"]);

        var withoutBundle = await Assert.ThrowsAsync<ProvisioningException>(() => provisioner.DestroyAsync("proton-dev"));
        var destroyed = await provisioner.DestroyAsync(request);

        Assert.Equal(CodeBuildErrorCodes.BundleRequired, withoutBundle.ErrorCode);
        Assert.Equal((ProvisionStatus.Succeeded, StackState.Deleted), (destroyed.Status, destroyed.State));
        Assert.Equal("gone proton-dev\n", await File.ReadAllTextAsync(marker));
        Assert.Null(await provisioner.DescribeAsync("proton-dev"));
        Assert.Equal(StackState.NotFound, (await provisioner.DestroyAsync("proton-dev")).State);
    }

    [Fact]
    public async Task Plan_SaysTheCommandsRunAgain()
    {
        var part = CodeBuildTestBundles.Part(["true"]);
        var (provisioner, _) = New();

        var before = await provisioner.PlanAsync(CodeBuildTestBundles.Request(part));
        await provisioner.DeployAsync(CodeBuildTestBundles.Request(part));
        var after = await provisioner.PlanAsync(CodeBuildTestBundles.Request(part));

        Assert.Equal((false, ResourceChangeAction.Add), (before.StackExists, before.Changes.Single().Action));
        Assert.Equal((true, ResourceChangeAction.Modify, true), (after.StackExists, after.Changes.Single().Action, after.Changes.Single().MayReplace));
    }

    [Fact]
    public async Task HclInputType_WritesATfvarsFile()
    {
        var part = CodeBuildTestBundles.Part(["test -f proton-inputs.tfvars && test ! -f proton-inputs.json"], extraManifest: "      input_type: HCL\n");
        var (provisioner, runner) = New();

        var result = await provisioner.DeployAsync(CodeBuildTestBundles.Request(part, who: "a \"quoted\" ${x}"));

        Assert.True(result.IsSuccess, result.Message);
        Assert.Equal("HCL", CodeBuildFiles.InputType(part));
        var text = await File.ReadAllTextAsync(Path.Combine(runner.SourceDirectory("proton-dev"), CodeBuildFiles.HclInputsFileName));
        Assert.Equal("environment = {\n  name = \"dev\"\n  inputs = {\n    who = \"a \\u0022quoted\\u0022 $${x}\"\n    size = 3\n  }\n}\n", text);
    }

    [Fact]
    public async Task InvalidOutputsFile_FailsTheDeployment_NamingTheFile()
    {
        var part = CodeBuildTestBundles.Part(["echo 'not json' > proton-outputs.json"]);
        var (provisioner, _) = New();

        var result = await provisioner.DeployAsync(CodeBuildTestBundles.Request(part));

        Assert.Equal(ProvisionStatus.Failed, result.Status);
        Assert.Equal(CodeBuildFiles.OutputsFileName, result.Failures.Single().File);
    }

    [Fact]
    public async Task NotACodeBuildPart_IsRefused()
    {
        var (provisioner, _) = New();

        var ex = await Assert.ThrowsAsync<ProvisioningException>(() => provisioner.DeployAsync(new DeployRequest { StackName = "s", TemplateBody = "Resources: {}" }));

        Assert.Equal(CodeBuildErrorCodes.NoCodeBuildPart, ex.ErrorCode);
    }

    [Fact]
    public async Task AwsSampleBundle_RunsItsManifestCommandsWithItsImageAndFiles()
    {
        var folder = Path.Combine(Infrastructure.Corpus.Bundles, "aws-samples+aws-proton-saas-tenant-provisioning-and-deployments", "tenant-env-template", "v1");
        var loaded = await TemplateBundleLoader.LoadAsync(folder);
        Assert.True(loaded.Bundle is not null, string.Join("\n", loaded.Diagnostics));
        var capture = new CapturingRunner();
        var provisioner = new CodeBuildProvisioner(capture, new CodeBuildProvisionerOptions { StateDirectory = Path.Combine(_root, "state") });
        var request = CodeBuildTestBundles.Request(loaded.Bundle.Part(InfrastructurePartKind.Infrastructure)!);

        await provisioner.DeployAsync(request);
        await provisioner.DestroyAsync(request);

        var deploy = capture.Runs[0];
        Assert.Equal(("aws/codebuild/amazonlinux2-x86_64-standard:4.0", "16"), (deploy.Image, deploy.Runtimes["nodejs"]));
        Assert.Equal(7, deploy.Commands.Count);
        Assert.Equal("aws proton notify-resource-deployment-status-change --resource-arn $RESOURCE_ARN --status SUCCEEDED --outputs file://./outputs.json", deploy.Commands[^1]);
        Assert.Contains(deploy.Files, f => f.Path == "cdk.json");
        Assert.Contains("\"who\": \"world\"", deploy.Files.Single(f => f.Path == "proton-inputs.json").Text, StringComparison.Ordinal);
        Assert.Equal("arn:aws:proton:us-east-1:123456789012:environment/dev", deploy.EnvironmentVariables["RESOURCE_ARN"]);
        Assert.Equal((CodeBuildPhase.Deprovision, 2), (capture.Runs[1].Phase, capture.Runs[1].Commands.Count));
    }

    private sealed class CapturingRunner : ICodeBuildRunner
    {
        public List<CodeBuildRun> Runs { get; } = [];

        public string Name => "capture";

        public Task<CodeBuildRunResult> RunAsync(CodeBuildRun run, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
        {
            Runs.Add(run);
            return Task.FromResult(new CodeBuildRunResult(CodeBuildRunStatus.Succeeded));
        }
    }
}
