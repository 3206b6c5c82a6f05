using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Proton.Sdk.Aws.CodeBuild;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Provisioning.CodeBuild;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Aws.Tests.CodeBuild;

/// <summary>Contract tests: the runner against CodeBuild's and CloudWatch Logs' JSON 1.1 shapes on a fake endpoint.</summary>
public sealed class AwsCodeBuildRunnerTests : IDisposable
{
    private const string Running = """{"builds":[{"id":"proj:b-1","buildStatus":"IN_PROGRESS","logs":{"groupName":"/aws/codebuild/proj","streamName":"b-1"}}]}""";
    private readonly FakeCodeBuild _fake = new();
    private readonly HttpClient _http;

    public AwsCodeBuildRunnerTests() => _http = new HttpClient(_fake);

    public void Dispose() => _http.Dispose();

    private AwsCodeBuildRunner New() => new(
        new AwsCodeBuildRunnerOptions { ProjectName = "proj", PollInterval = TimeSpan.Zero },
        _http,
        new Uri("https://codebuild.us-east-1.amazonaws.com/"),
        new Uri("https://logs.us-east-1.amazonaws.com/"),
        TimeProvider.System);

    private static CodeBuildRun Run(IReadOnlyCollection<string>? secrets = null) => new()
    {
        StackName = "proton-dev",
        Phase = CodeBuildPhase.Provision,
        Commands = ["npm install", "npm run cdk deploy"],
        Files = [new BundleFile("cdk.json", Encoding.UTF8.GetBytes("{}")), new BundleFile("proton-inputs.json", Encoding.UTF8.GetBytes("{\"environment\":{\"name\":\"dev\"}}"))],
        EnvironmentVariables = new Dictionary<string, string> { ["RESOURCE_ARN"] = "arn:aws:proton:us-east-1:1:environment/dev", ["STACK_NAME"] = "proton-dev" },
        Image = "aws/codebuild/standard:6.0",
        Runtimes = new Dictionary<string, string> { ["nodejs"] = "16" },
        Timeout = TimeSpan.FromMinutes(20),
        SecretValues = secrets ?? [],
        DeploymentId = "D-1",
    };

    private static string Log(params string[] lines)
        => new JsonObject
        {
            ["events"] = new JsonArray(lines.Select((l, i) => (JsonNode)new JsonObject { ["timestamp"] = 1764237600000 + i, ["message"] = l + "\n" }).ToArray()),
            ["nextForwardToken"] = "f/" + lines.Length,
        }.ToJsonString();

    [Fact]
    public async Task Run_StartsABuildWithTheManifestsSettings_PollsToSuccess_AndReadsOutputsFromTheLog()
    {
        var outputs = Convert.ToBase64String(Encoding.UTF8.GetBytes("""[{"key":"VpcId","valueString":"vpc-1"}]"""));
        _fake.On("CodeBuild_20161006.StartBuild", """{"build":{"id":"proj:b-1","buildStatus":"IN_PROGRESS"}}""")
            .On("CodeBuild_20161006.BatchGetBuilds", Running)
            .On("CodeBuild_20161006.BatchGetBuilds", """{"builds":[{"id":"proj:b-1","buildStatus":"SUCCEEDED","logs":{"groupName":"/aws/codebuild/proj","streamName":"b-1"}}]}""")
            .On("Logs_20140328.GetLogEvents", Log("[Container] Running command npm install", "added 12 packages"))
            .On("Logs_20140328.GetLogEvents", Log("[Container] Running command if [ -f proton-outputs.json ]; then echo \"##proton-outputs $(base64 -w0 proton-outputs.json)\"; fi", "##proton-outputs " + outputs));
        var events = new List<ProvisioningEvent>();

        var result = await New().RunAsync(Run(), new SyncProgress(events));

        Assert.Equal((CodeBuildRunStatus.Succeeded, "SUCCEEDED", "proj:b-1"), (result.Status, result.EngineStatus, result.RunId));
        Assert.Equal("""[{"key":"VpcId","valueString":"vpc-1"}]""", result.OutputsFile);
        var start = _fake.Body("CodeBuild_20161006.StartBuild");
        Assert.Equal(("proj", "NO_SOURCE", "aws/codebuild/standard:6.0", 20, "d-1-provision"), ((string?)start["projectName"], (string?)start["sourceTypeOverride"], (string?)start["imageOverride"], (int?)start["timeoutInMinutesOverride"], (string?)start["idempotencyToken"]));
        Assert.Contains(start["environmentVariablesOverride"]!.AsArray(), v => (string?)v!["name"] == "RESOURCE_ARN" && (string?)v["value"] == "arn:aws:proton:us-east-1:1:environment/dev" && (string?)v["type"] == "PLAINTEXT");
        var buildspec = (string)start["buildspecOverride"]!;
        Assert.Contains("runtime-versions:\n      nodejs: \"16\"", buildspec, StringComparison.Ordinal);
        Assert.Contains("      - \"npm install\"\n      - \"npm run cdk deploy\"\n", buildspec, StringComparison.Ordinal);
        Assert.Equal(["cdk.json", "proton-inputs.json"], Unpack(buildspec).Keys.Order());
        Assert.Equal("{\"environment\":{\"name\":\"dev\"}}", Unpack(buildspec)["proton-inputs.json"]);
        Assert.Contains(events, e => e is { EngineStatus: "LOG", Reason: "added 12 packages" });
        Assert.DoesNotContain(events, e => e.Reason?.Contains("##proton-outputs", StringComparison.Ordinal) == true && e.Reason.Contains(outputs, StringComparison.Ordinal));
        Assert.Equal("f/2", (string?)JsonNode.Parse(_fake.Requests.Last(r => r.Target == "Logs_20140328.GetLogEvents").Body)!["nextToken"]);
    }

    [Fact]
    public async Task FailedBuild_ReturnsTheFailingCommandExitStatusAndLogTail_SecretsMasked()
    {
        _fake.On("CodeBuild_20161006.StartBuild", """{"build":{"id":"proj:b-2"}}""")
            .On("CodeBuild_20161006.BatchGetBuilds", """
                {"builds":[{"id":"proj:b-2","buildStatus":"FAILED","logs":{"groupName":"g","streamName":"s"},
                  "phases":[{"phaseType":"INSTALL","phaseStatus":"SUCCEEDED"},
                            {"phaseType":"BUILD","phaseStatus":"FAILED","contexts":[{"statusCode":"COMMAND_EXECUTION_ERROR","message":"Error while executing command: npm run cdk deploy. Reason: exit status 3"}]}]}]}
                """)
            .On("Logs_20140328.GetLogEvents", Log("[Container] Running command npm run cdk deploy", "error: token hunter2 rejected"));

        var result = await New().RunAsync(Run(["hunter2"]));

        Assert.Equal((CodeBuildRunStatus.Failed, 3, "npm run cdk deploy", "FAILED"), (result.Status, result.ExitCode, result.FailedCommand, result.EngineStatus));
        Assert.Contains("error: token **** rejected", result.LogTail);
        Assert.DoesNotContain(result.LogTail, l => l.Contains("hunter2", StringComparison.Ordinal));
        Assert.Null(result.OutputsFile);
    }

    [Theory]
    [InlineData("TIMED_OUT", CodeBuildRunStatus.TimedOut)]
    [InlineData("STOPPED", CodeBuildRunStatus.Cancelled)]
    [InlineData("FAULT", CodeBuildRunStatus.Failed)]
    public async Task FinalStatuses_MapToRunStatuses(string buildStatus, CodeBuildRunStatus expected)
    {
        _fake.On("CodeBuild_20161006.StartBuild", """{"build":{"id":"proj:b-3"}}""")
            .On("CodeBuild_20161006.BatchGetBuilds", $$"""{"builds":[{"id":"proj:b-3","buildStatus":"{{buildStatus}}"}]}""");

        var result = await New().RunAsync(Run());

        Assert.Equal((expected, buildStatus), (result.Status, result.EngineStatus));
    }

    [Fact]
    public async Task Cancel_StopsTheBuild()
    {
        _fake.On("CodeBuild_20161006.StartBuild", """{"build":{"id":"proj:b-4"}}""")
            .On("CodeBuild_20161006.BatchGetBuilds", """{"builds":[{"id":"proj:b-4","buildStatus":"IN_PROGRESS"}]}""")
            .On("CodeBuild_20161006.StopBuild", """{"build":{"id":"proj:b-4","buildStatus":"STOPPED"}}""");
        using var cts = new CancellationTokenSource();
        var polls = 0;
        var runner = new AwsCodeBuildRunner(new AwsCodeBuildRunnerOptions { ProjectName = "proj", PollInterval = TimeSpan.FromMilliseconds(10) }, _http, new Uri("https://codebuild.us-east-1.amazonaws.com/"), new Uri("https://logs.us-east-1.amazonaws.com/"), TimeProvider.System);
        var run = runner.RunAsync(Run(), new SyncProgress([], e =>
        {
            if (Interlocked.Increment(ref polls) == 1)
            {
                cts.Cancel();
            }
        }), cts.Token);

        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CodeBuildRunStatus.Cancelled, result.Status);
        Assert.Equal("proj:b-4", (string?)_fake.Body("CodeBuild_20161006.StopBuild")["id"]);
    }

    [Fact]
    public async Task ThroughTheProvisioner_OutputsBecomeTheDeploymentsOutputs()
    {
        var outputs = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"Stack":{"ClusterName":"c-1"}}"""));
        _fake.On("CodeBuild_20161006.StartBuild", """{"build":{"id":"proj:b-5"}}""")
            .On("CodeBuild_20161006.BatchGetBuilds", """{"builds":[{"id":"proj:b-5","buildStatus":"SUCCEEDED","logs":{"groupName":"g","streamName":"s"}}]}""")
            .On("Logs_20140328.GetLogEvents", Log("##proton-outputs " + outputs));
        var manifest = "infrastructure:\n  templates:\n    - rendering_engine: codebuild\n      settings:\n        image: aws/codebuild/standard:7.0\n        provision:\n          - make deploy\n";
        var part = new InfrastructurePart
        {
            Kind = InfrastructurePartKind.Infrastructure,
            Folder = "infrastructure",
            Templates = [new ManifestTemplate { RenderingEngine = "codebuild", Settings = new Dictionary<string, object?> { ["image"] = "aws/codebuild/standard:7.0", ["provision"] = new List<object?> { "make deploy" } } }],
            ProvisioningMethod = ProvisioningMethod.CodeBuild,
            TemplateFiles = [],
            Files = [new BundleFile("infrastructure/manifest.yaml", Encoding.UTF8.GetBytes(manifest))],
        };
        var state = Directory.CreateTempSubdirectory("proton-cb-aws-").FullName;
        try
        {
            var provisioner = new CodeBuildProvisioner(New(), new CodeBuildProvisionerOptions { StateDirectory = state });

            var result = await provisioner.DeployAsync(new DeployRequest { StackName = "proton-dev", TemplateBody = string.Empty, Part = part });

            Assert.True(result.IsSuccess, result.Message);
            Assert.Equal("c-1", result.Outputs["ClusterName"]);
            Assert.Equal("aws/codebuild/standard:7.0", (string?)_fake.Body("CodeBuild_20161006.StartBuild")["imageOverride"]);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static Dictionary<string, string> Unpack(string buildspec)
    {
        var b64 = Regex.Match(buildspec, "echo ([A-Za-z0-9+/=]+) \\| base64 -d").Groups[1].Value;
        using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(b64)), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var files = new Dictionary<string, string>();
        while (tar.GetNextEntry() is { } entry)
        {
            using var reader = new StreamReader(entry.DataStream!);
            files[entry.Name] = reader.ReadToEnd();
        }

        return files;
    }

    private sealed class SyncProgress(List<ProvisioningEvent> events, Action<ProvisioningEvent>? onEvent = null) : IProgress<ProvisioningEvent>
    {
        public void Report(ProvisioningEvent value)
        {
            lock (events)
            {
                events.Add(value);
            }

            onEvent?.Invoke(value);
        }
    }
}
