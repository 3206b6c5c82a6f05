using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Cli;

/// <summary>The CI-step and generic-host samples, built with the solution, run as a user would run them.</summary>
public sealed class SampleTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("proton-samples-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private Task<(int Exit, string Out, string Err)> RunSample(string name, params string[] args) => ProcessRunner.RunSampleAsync(name, args, _work);

    [Fact]
    public async Task CiCheck_PassesAGoodBundle_AndFailsTheBuildWithAnnotations()
    {
        var bundle = Path.Combine(Corpus.RepoRoot, "samples", "templates", "vpc-ecs-env", "v1");
        var good = await RunSample("CiCheck", bundle, Path.Combine(Corpus.RepoRoot, "samples", "templates", "specs", "env-spec.yaml"));
        Assert.True(good.Exit == 0, good.Out + good.Err);

        var spec = Path.Combine(_work, "bad.yaml");
        await File.WriteAllTextAsync(spec, "proton: EnvironmentSpec\nspec:\n  vpc_cidr: 999\n");
        var bad = await RunSample("CiCheck", bundle, spec);

        Assert.Equal(1, bad.Exit);
        Assert.Contains($"::error file={spec},line=3,col=13,title=schema.type::spec.vpc_cidr:", bad.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CiCheck_RunsTheTemplateTests_OfASpecFolder_LikeProtonTemplateTest()
    {
        var bundle = Path.Combine(Corpus.RepoRoot, "samples", "templates", "vpc-ecs-env", "v1");
        var specs = Directory.CreateDirectory(Path.Combine(_work, "specs")).FullName;
        File.Copy(Path.Combine(Corpus.RepoRoot, "samples", "templates", "specs", "env-spec.yaml"), Path.Combine(specs, "env-spec.yaml"));

        var good = await RunSample("CiCheck", bundle, "--specs", specs);
        var cli = await CliRunner.Run("template", "test", bundle, "--specs", specs);

        Assert.True(good.Exit == 0, good.Out + good.Err);
        Assert.Contains("template tests: ", good.Out, StringComparison.Ordinal);
        Assert.Contains(" 0 failed", good.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Proton.Sdk.Testing.TemplateTester.SnapshotPath(specs, "env-spec.yaml", "infrastructure")), "the first run writes the snapshots");
        Assert.Equal(0, cli.Exit); // the CLI reads the same snapshots and agrees

        await File.WriteAllTextAsync(Path.Combine(specs, "bad.yaml"), "proton: EnvironmentSpec\nspec:\n  vpc_cidr: 999\n");
        var bad = await RunSample("CiCheck", bundle, "--specs", specs);

        Assert.Equal(1, bad.Exit);
        Assert.Contains($"::error file={Path.Combine(specs, "bad.yaml")},line=3,col=13,title={Proton.Sdk.Testing.TemplateTestErrorCodes.SpecInvalid}::", bad.Out, StringComparison.Ordinal);
        Assert.Equal(1, (await CliRunner.Run("template", "test", bundle, "--specs", specs)).Exit);
    }

    [Fact]
    public async Task HostedPlatform_WiresEverythingFromAppSettings()
    {
        var first = await RunSample("HostedPlatform");
        var second = await RunSample("HostedPlatform");

        Assert.True(first.Exit == 0, first.Out + first.Err);
        Assert.Contains("environment dev: Succeeded", first.Out, StringComparison.Ordinal);
        Assert.Contains("with the local provisioner", first.Out, StringComparison.Ordinal);
        Assert.Contains("environment dev: Succeeded (No changes.)", second.Out, StringComparison.Ordinal);
        Assert.Contains("deployments so far: 2", second.Out, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(_work, "proton-hosted-sample", "stacks")));
    }
}
