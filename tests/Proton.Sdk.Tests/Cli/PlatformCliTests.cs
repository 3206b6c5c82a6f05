using System.Text.Json;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Cli;

/// <summary>The lifecycle commands on the project's sample bundles, with a folder store and the local provisioner.</summary>
public sealed class PlatformCliTests : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("proton-cli-").FullName;

    private static string Samples => Path.Combine(Corpus.RepoRoot, "samples", "templates");

    public void Dispose() => Directory.Delete(_store, recursive: true);

    private Task<(int Exit, string Out, string Err)> Run(params string[] args) => CliRunner.Run([.. args, "--store", _store]);

    private async Task Ok(params string[] args)
    {
        var (exit, stdout, stderr) = await Run(args);
        Assert.True(exit == 0, $"proton {string.Join(' ', args)} exited {exit}\n{stdout}\n{stderr}");
    }

    [Fact]
    public async Task WholeLifecycle_FromTheCommandLine()
    {
        await Ok("template", "create", "vpc-ecs-env", "--kind", "environment");
        await Ok("template", "create", "fargate-svc", "--kind", "service");
        await Ok("template", "register", "vpc-ecs-env", Path.Combine(Samples, "vpc-ecs-env", "v1"));
        await Ok("template", "register", "fargate-svc", Path.Combine(Samples, "fargate-svc", "v1"));
        await Ok("template", "publish", "vpc-ecs-env", "1.0.0");
        await Ok("template", "publish", "fargate-svc", "1.0.0");

        var env = await Run("env", "create", "dev", "--template", "vpc-ecs-env", "--spec", Path.Combine(Samples, "specs", "env-spec.yaml"));
        Assert.Equal(0, env.Exit);
        Assert.Contains("Succeeded", env.Out, StringComparison.Ordinal);
        Assert.Contains("dev: deploying environment dev (vpc-ecs-env 1.0.0)", env.Err, StringComparison.Ordinal); // live progress on stderr

        var svc = await Run("service", "create", "web", "--template", "fargate-svc", "--spec", Path.Combine(Samples, "specs", "svc-spec.yaml"), "--output", "json");
        Assert.Equal(0, svc.Exit);
        using (var doc = JsonDocument.Parse(svc.Out))
        {
            Assert.Equal(["web/web-dev", "web/web-staging", "web"], doc.RootElement.GetProperty("deployments").EnumerateArray().Select(d => d.GetProperty("target").GetString()));
        }

        Assert.True(Directory.EnumerateFiles(Path.Combine(_store, "stacks"), "template.yaml", SearchOption.AllDirectories).Count() == 4);
        Assert.Equal(1, (await Run("env", "delete", "dev")).Exit); // refused: instances run in it
        Assert.Equal(1, (await Run("service", "update", "web", "--instance", "web-dev", "--type", "minor")).Exit); // nothing newer

        var update = await Run("service", "update", "web", "--instance", "web-dev", "--type", "current", "--output", "json");
        Assert.Equal(0, update.Exit);
        var list = await Run("deployments", "list", "--service", "web", "--output", "json");
        using (var doc = JsonDocument.Parse(list.Out))
        {
            Assert.Equal(4, doc.RootElement.GetArrayLength());
        }

        var first = JsonDocument.Parse((await Run("deployments", "list", "--env", "dev", "--output", "json")).Out).RootElement[0].GetProperty("id").GetString()!;
        Assert.Equal(0, (await Run("rollback", first)).Exit);

        var summary = await Run("summary");
        Assert.Contains("fargate-svc  ServiceInstance", summary.Out, StringComparison.Ordinal);
        var plan = await Run("upgrade", "fargate-svc", "--plan-only");
        Assert.Equal(0, plan.Exit);
        Assert.Contains("plan: 0 resource(s) of fargate-svc to 1.0.0", plan.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await Run("service", "delete", "web")).Exit);
        Assert.Equal(0, (await Run("env", "delete", "dev")).Exit);
        Assert.Equal("[]", (await Run("env", "list", "--output", "json")).Out.Trim());
    }

    [Fact]
    public async Task UsageErrors_Exit2()
    {
        Assert.Equal(2, (await Run("env", "update", "dev")).Exit);                                  // no --type
        Assert.Equal(2, (await Run("env", "create", "dev", "--template", "x", "--provisioner", "nope")).Exit);
        Assert.Equal(2, (await Run("upgrade", "x", "--max-concurrency", "two")).Exit);
        Assert.Equal(1, (await Run("env", "show", "nope")).Exit);
    }

    [Fact]
    public async Task Quickstart_RunsTheWholeStoryOffline()
    {
        var (exit, output, stderr) = await ProcessRunner.RunSampleAsync("Quickstart", []);
        Assert.True(exit == 0, stderr);
        Assert.Contains("ServicePipeline web: Succeeded", output, StringComparison.Ordinal);
        Assert.Contains("Refused fargate-svc 1.2.0:", output, StringComparison.Ordinal);
        Assert.Contains("Upgrade: web/web-dev succeeded, web/web-staging succeeded, web succeeded", output, StringComparison.Ordinal);
        Assert.Contains("web/web-dev      Succeeded   1.0.0 -> 1.1.0", output, StringComparison.Ordinal);
    }
}
