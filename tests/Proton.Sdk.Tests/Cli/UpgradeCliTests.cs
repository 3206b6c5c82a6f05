using System.Text.Json;
using Proton.Sdk.Tests.Infrastructure;
using Proton.Sdk.Tests.Platform;

namespace Proton.Sdk.Tests.Cli;

/// <summary><c>proton upgrade</c>: the plan shows each step's impact; a stateful deletion needs <c>--allow-stateful-replacement</c>.</summary>
public sealed class UpgradeCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proton-upgrade-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Store => Path.Combine(_dir, "store");

    private async Task<string> Ok(params string[] args)
    {
        var (exit, stdout, stderr) = await CliRunner.Run([.. args, "--store", Store]);
        Assert.True(exit == 0, $"proton {string.Join(' ', args)} exited {exit}\n{stdout}\n{stderr}");
        return stdout;
    }

    private string WriteBundle(string name, string template)
    {
        var root = Path.Combine(_dir, name);
        foreach (var (path, text) in new[]
        {
            ("schema/schema.yaml", TestSchemas.Environment("cidr:\n  type: string\n  default: \"10.0.0.0/16\"\nname:\n  type: string\n  default: app")),
            ("infrastructure/manifest.yaml", "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n"),
            ("infrastructure/cloudformation.yaml", template),
        })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, path))!);
            File.WriteAllText(Path.Combine(root, path), text);
        }

        return root;
    }

    [Fact]
    public async Task PlanOnly_ShowsTheStatefulDeletion_UpgradeRefusesIt_UntilAllowed()
    {
        await Ok("template", "create", "env", "--kind", "environment");
        await Ok("template", "register", "env", WriteBundle("v1", UpgradeImpactTests.V1), "--version", "1.0.0");
        await Ok("template", "publish", "env", "1.0.0");
        await Ok("env", "create", "dev", "--template", "env");
        await Ok("template", "register", "env", WriteBundle("v2", UpgradeImpactTests.V2Stateful), "--version", "1.1.0");
        await Ok("template", "publish", "env", "1.1.0");

        var plan = await Ok("upgrade", "env", "--plan-only");
        Assert.Contains("IMPACT", plan, StringComparison.Ordinal);
        Assert.Contains("deletes DataBucket (stateful)", plan, StringComparison.Ordinal);
        Assert.Contains("needs --allow-stateful-replacement", plan, StringComparison.Ordinal);

        using (var json = JsonDocument.Parse(await Ok("upgrade", "env", "--plan-only", "--output", "json")))
        {
            var impact = json.RootElement.GetProperty("steps")[0].GetProperty("impact");
            Assert.Equal("DataBucket", impact.GetProperty("statefulChanges")[0].GetProperty("resource").GetString());
        }

        var (exit, _, err) = await CliRunner.Run(["upgrade", "env", "--store", Store]);
        Assert.NotEqual(0, exit);
        Assert.Contains("platform.stateful-replacement", err, StringComparison.Ordinal);
        using (var envs = JsonDocument.Parse(await Ok("env", "show", "dev", "--output", "json")))
        {
            Assert.Equal("1.0.0", envs.RootElement.GetProperty("templateVersion").GetString());
        }

        await Ok("upgrade", "env", "--allow-stateful-replacement");
        using (var envs = JsonDocument.Parse(await Ok("env", "show", "dev", "--output", "json")))
        {
            Assert.Equal("1.1.0", envs.RootElement.GetProperty("templateVersion").GetString());
        }
    }
}
