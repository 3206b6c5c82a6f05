using System.Text.Json;
using Proton.Sdk.Cli;
using Proton.Sdk.Cli.Output;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Cli;

/// <summary>The command line's conventions: help, suggestions, completion, response files, stores, versions, locations, output, cancel.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proton-cl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Store => Path.Combine(_dir, "store");

    private static string Bundle => Path.Combine(Corpus.RepoRoot, "samples", "templates", "vpc-ecs-env", "v1");

    private static string Spec => Path.Combine(Corpus.RepoRoot, "samples", "templates", "specs", "env-spec.yaml");

    private Task<(int Exit, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    private async Task<string> Ok(params string[] args)
    {
        var (exit, stdout, stderr) = await Run(args);
        Assert.True(exit == 0, $"proton {string.Join(' ', args)} exited {exit}\n{stdout}\n{stderr}");
        return stdout;
    }

    private async Task WithEnvironmentAsync()
    {
        await Ok("template", "create", "env", "--kind", "environment", "--store", Store);
        await Ok("template", "register", "env", Bundle, "--store", Store);
        await Ok("template", "publish", "env", "1.0.0", "--store", Store);
        await Ok("env", "create", "dev", "--template", "env", "--spec", Spec, "--store", Store);
    }

    [Theory]
    [InlineData("env", "create", "update", "import", "delete", "list", "show")]
    [InlineData("template", "create", "register", "publish", "deprecate", "list", "show", "delete")]
    [InlineData("deployments", "list", "show", "cancel")]
    public async Task Help_EveryCommandHasItsOwnPage(string command, params string[] subcommands)
    {
        foreach (var args in new[] { new[] { command, "--help" }, ["help", command], [command, "-h"] })
        {
            var (exit, stdout, _) = await Run(args);

            Assert.Equal(0, exit);
            Assert.Contains($"proton {command} [command] [options]", stdout, StringComparison.Ordinal);
            Assert.All(subcommands, s => Assert.Contains($"  {s}", stdout, StringComparison.Ordinal));
        }

        var create = await Ok(command, subcommands[0], "--help");
        Assert.Contains("--help", create, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Typo_IsAUsageErrorWithASuggestion()
    {
        var (exit, stdout, stderr) = await Run("templat", "list");

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("Did you mean", stderr, StringComparison.Ordinal);
        Assert.Contains("template", stderr, StringComparison.Ordinal);
        Assert.Contains("run 'proton --help' for usage", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_SuggestsCommandsAndOptions_AndPrintsAShellScript()
    {
        var commands = await Ok("[suggest:9]", "proton en");
        Assert.Contains("env", commands.Split('\n', StringSplitOptions.TrimEntries));

        var options = await Ok("[suggest:21]", "proton env create --s");
        Assert.Contains("--spec", options.Split('\n', StringSplitOptions.TrimEntries));
        Assert.Contains("--store", options.Split('\n', StringSplitOptions.TrimEntries));

        var script = await Ok("completion", "bash");
        Assert.Contains("complete -o default -F _proton_bash_complete proton", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResponseFile_SuppliesArguments()
    {
        var rsp = Path.Combine(_dir, "args.rsp");
        await File.WriteAllLinesAsync(rsp, ["bundle", "inspect", Bundle, "--output", "json"]);

        var output = await Ok("@" + rsp);

        using var json = JsonDocument.Parse(output);
        Assert.Equal("Environment", json.RootElement.GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("env", "list")]
    [InlineData("template", "list")]
    [InlineData("summary")]
    [InlineData("deployments", "list")]
    public async Task ReadOnlyCommand_OnAMissingStore_ExitsOneAndCreatesNothing(params string[] args)
    {
        var typo = Path.Combine(_dir, "typo");

        var (exit, _, stderr) = await Run([.. args, "--store", typo]);

        Assert.Equal(1, exit);
        Assert.Contains("cli.no-store", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(typo));
    }

    [Theory]
    [InlineData("ftp://bucket/prefix")]
    [InlineData("s3:")]
    [InlineData("s3://")]
    [InlineData("https://example.com/store")]
    [InlineData("")]
    public async Task Store_OtherSchemesAndEmpty_AreRefused(string store)
    {
        var (exit, _, stderr) = await Run("template", "create", "t", "--kind", "service", "--store", store);

        Assert.Equal(2, exit);
        Assert.Contains("--store", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists("s3:"));
        Assert.False(Directory.Exists("ftp:"));
    }

    [Fact]
    public async Task BundleArgument_OtherSchemes_AreRefused()
    {
        var (exit, _, stderr) = await Run("bundle", "inspect", "gs://bucket/key.tar.gz");

        Assert.Equal(2, exit);
        Assert.Contains("the scheme 'gs:' is not supported", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("template", "publish", "env", "01.0.0")]
    [InlineData("template", "register", "env", "{bundle}", "--version", "1.01.0")]
    [InlineData("env", "create", "x", "--template", "env", "--version", "01.0.0")]
    [InlineData("upgrade", "env", "--version", "1.00.0")]
    [InlineData("env", "update", "dev", "--type", "minor", "--version", "1.0.01")]
    public async Task Versions_WithLeadingZeros_AreRefusedByEveryCommand(params string[] args)
    {
        await WithEnvironmentAsync();

        var (exit, _, stderr) = await Run([.. args.Select(a => a.Replace("{bundle}", Bundle, StringComparison.Ordinal)), "--store", Store]);

        Assert.Equal(2, exit);
        Assert.Contains("is not a version", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpecError_IsLocatedInTheSpecFile_ByEveryCommand()
    {
        await WithEnvironmentAsync();
        var bad = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(bad, "proton: EnvironmentSpec\nspec:\n  vpc_cidr: 999\n");

        var validate = await Run("spec", "validate", Bundle, bad);
        var create = await Run("env", "create", "x", "--template", "env", "--spec", bad, "--store", Store);
        var update = await Run("env", "update", "dev", "--type", "current", "--spec", bad, "--store", Store);

        Assert.StartsWith($"{bad}:3:13: error schema.type: spec.vpc_cidr:", validate.Err, StringComparison.Ordinal);
        Assert.Equal((1, validate.Err), (create.Exit, create.Err));
        Assert.Equal((1, validate.Err), (update.Exit, update.Err));
    }

    [Fact]
    public async Task Show_PrintsTextByDefault_AndJsonWhenAsked()
    {
        await WithEnvironmentAsync();
        var id = JsonDocument.Parse(await Ok("deployments", "list", "--output", "json", "--store", Store)).RootElement[0].GetProperty("id").GetString()!;

        var env = await Ok("env", "show", "dev", "--store", Store);
        var deployment = await Ok("deployments", "show", id, "--store", Store);
        var json = await Ok("env", "show", "dev", "--store", Store, "--output", "json");

        Assert.StartsWith("environment:", env, StringComparison.Ordinal);
        Assert.Contains("template:", env, StringComparison.Ordinal);
        Assert.Contains("env 1.0.0", env, StringComparison.Ordinal);
        Assert.DoesNotContain("{", env, StringComparison.Ordinal);
        Assert.Contains("kind:", deployment, StringComparison.Ordinal);
        Assert.Contains("create", deployment, StringComparison.Ordinal);
        Assert.Equal("dev", JsonDocument.Parse(json).RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task DeploymentsList_KindColumn_SaysWhatEachDeploymentDid()
    {
        await WithEnvironmentAsync();
        await Ok("env", "update", "dev", "--type", "current", "--store", Store);

        var table = await Ok("deployments", "list", "--store", Store);

        var kinds = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries)[3].Trim()).ToList();
        Assert.Equal(["create", "update:current"], kinds);
    }

    [Theory]
    [InlineData("summary")]
    [InlineData("upgrade", "env", "--plan-only")]
    [InlineData("env", "list")]
    public async Task UnreadableRecord_ExitsOneWithAMessage(params string[] args)
    {
        await WithEnvironmentAsync();
        var record = Path.Combine(Store, "records", "environments", "dev.json");
        var text = await File.ReadAllTextAsync(record);
        await File.WriteAllTextAsync(record, text.Replace("\"templateVersion\":\"1.0.0\"", "\"templateVersion\":\"not-a-version\"", StringComparison.Ordinal));
        Assert.Contains("not-a-version", await File.ReadAllTextAsync(record), StringComparison.Ordinal);

        var (exit, _, stderr) = await Run([.. args, "--store", Store]);

        Assert.True(exit is 0 or 1, stderr);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        if (exit == 1)
        {
            Assert.Contains("not-a-version", stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BundleInspect_SchemaErrors_ExitOne()
    {
        var bundle = Path.Combine(_dir, "bundle");
        foreach (var f in Directory.EnumerateFiles(Bundle, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(bundle, Path.GetRelativePath(Bundle, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }

        await File.WriteAllTextAsync(Path.Combine(bundle, "schema", "schema.yaml"), string.Empty);

        var (exit, _, stderr) = await Run("bundle", "inspect", bundle);

        Assert.Equal(1, exit);
        Assert.Contains("error", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ADeploymentWhoseProcessIsGone_CompletesItFromTheStack()
    {
        await WithEnvironmentAsync();
        var record = Directory.EnumerateFiles(Path.Combine(Store, "records", "deployments"), "*.json").Single();
        var id = Path.GetFileNameWithoutExtension(record);
        var text = await File.ReadAllTextAsync(record);
        await File.WriteAllTextAsync(record, text.Replace("\"status\":\"Succeeded\"", "\"status\":\"InProgress\"", StringComparison.Ordinal));

        var (exit, stdout, _) = await Run("deployments", "cancel", id, "--store", Store);

        Assert.Equal(0, exit);
        Assert.Contains(id, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\"status\":\"InProgress\"", await File.ReadAllTextAsync(record), StringComparison.Ordinal);
        var (again, _, stderr) = await Run("deployments", "cancel", id, "--store", Store);
        Assert.Equal(1, again);
        Assert.Contains("platform.not-cancellable", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ALiveDeploymentOfAnotherProcess_MarksItCancelling()
    {
        await WithEnvironmentAsync();
        var record = Directory.EnumerateFiles(Path.Combine(Store, "records", "deployments"), "*.json").Single();
        var id = Path.GetFileNameWithoutExtension(record);
        var lease = DateTimeOffset.UtcNow.AddMinutes(10).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var text = await File.ReadAllTextAsync(record);
        await File.WriteAllTextAsync(record, text.Replace("\"status\":\"Succeeded\"", $"\"status\":\"InProgress\",\"leaseExpiresAt\":\"{lease}\"", StringComparison.Ordinal));

        var (exit, stdout, _) = await Run("deployments", "cancel", id, "--store", Store);

        Assert.Equal(0, exit);
        Assert.Contains("Cancelling", stdout, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"Cancelling\"", await File.ReadAllTextAsync(record), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CtrlC_DuringADeployment_RecordsItCancelled_AndExits130()
    {
        await Ok("template", "create", "env", "--kind", "environment", "--store", Store);
        await Ok("template", "register", "env", Bundle, "--store", Store);
        await Ok("template", "publish", "env", "1.0.0", "--store", Store);
        using var cancel = new CancellationTokenSource();
        var stderr = new CancelOnText("deploying environment", cancel);

        var exit = await ProtonCli.RunAsync(["env", "create", "dev", "--template", "env", "--spec", Spec, "--store", Store], new StringWriter(), stderr, cancel.Token);

        Assert.Equal(130, exit);
        Assert.Contains("cancelled", stderr.ToString(), StringComparison.Ordinal);
        using var list = JsonDocument.Parse(await Ok("deployments", "list", "--output", "json", "--store", Store));
        Assert.Equal("Cancelled", list.RootElement[0].GetProperty("status").GetString());
        var env = JsonDocument.Parse(await Ok("env", "show", "dev", "--output", "json", "--store", Store)).RootElement;
        Assert.NotEqual("InProgress", env.GetProperty("deploymentStatus").GetString());
    }

    [Fact]
    public async Task CtrlC_BeforeAnythingRuns_Exits130()
    {
        await WithEnvironmentAsync();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        var stderr = new StringWriter();

        var exit = await ProtonCli.RunAsync(["env", "update", "dev", "--type", "current", "--store", Store], new StringWriter(), stderr, cancel.Token);

        Assert.Equal(130, exit);
        Assert.Contains("cancelled", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminal_GetsSpectreTables_OtherwisePlainColumns()
    {
        var rich = new StringWriter();
        var plain = new StringWriter();

        await new CliConsole(rich, TextWriter.Null, richOut: true, richErr: false).WriteTableAsync(["A", "B"], [["x", "Succeeded"]]);
        await new CliConsole(plain, TextWriter.Null, richOut: false, richErr: false).WriteTableAsync(["A", "B"], [["x", "Succeeded"]]);

        Assert.Equal("A  B\nx  Succeeded\n", plain.ToString());
        Assert.Contains("Succeeded", rich.ToString(), StringComparison.Ordinal);
        Assert.Matches("[│|]", rich.ToString());
    }

    [Fact]
    public async Task Json_HasTheDocumentedShape()
    {
        await WithEnvironmentAsync();

        using var list = JsonDocument.Parse(await Ok("env", "list", "--output", "json", "--store", Store));
        using var deployments = JsonDocument.Parse(await Ok("deployments", "list", "--output", "json", "--store", Store));
        using var templates = JsonDocument.Parse(await Ok("template", "list", "--output", "json", "--store", Store));

        var env = list.RootElement[0];
        foreach (var key in new[] { "name", "templateName", "templateVersion", "deploymentStatus", "provisioning", "inputs", "outputs" })
        {
            Assert.True(env.TryGetProperty(key, out _), key);
        }

        var d = deployments.RootElement[0];
        foreach (var key in new[] { "id", "target", "targetType", "status", "createdAt", "targetState" })
        {
            Assert.True(d.TryGetProperty(key, out _), key);
        }

        Assert.Equal("Succeeded", d.GetProperty("status").GetString());
        Assert.Equal("1.0.0", templates.RootElement[0].GetProperty("recommended").GetString());
    }

    /// <summary>A stderr that presses Ctrl-C when a progress line shows the deployment has started.</summary>
    private sealed class CancelOnText(string text, CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(text, StringComparison.Ordinal) == true)
            {
                cancel.Cancel();
            }
        }
    }
}
