using System.Xml.Linq;

namespace Proton.Sdk.Tests.Cli;

/// <summary><c>proton template test</c>: snapshots, a changed template, JUnit output, exit codes.</summary>
public sealed class TemplateTestCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proton-cli-tt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TemplateTest_WritesSnapshots_ThenPasses_ThenFailsWithADiffWhenTheTemplateChanges()
    {
        var bundle = Path.Combine(_dir, "bundle");
        foreach (var f in Directory.EnumerateFiles(Path.Combine(Infrastructure.Corpus.RepoRoot, "samples", "templates", "vpc-ecs-env", "v1"), "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(bundle, Path.GetRelativePath(Path.Combine(Infrastructure.Corpus.RepoRoot, "samples", "templates", "vpc-ecs-env", "v1"), f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }

        Directory.CreateDirectory(Path.Combine(bundle, "test"));
        File.Copy(Path.Combine(Infrastructure.Corpus.RepoRoot, "samples", "templates", "specs", "env-spec.yaml"), Path.Combine(bundle, "test", "env-spec.yaml"));
        var junit = Path.Combine(_dir, "results.xml");

        var first = await CliRunner.Run("template", "test", bundle, "--update-snapshots");
        Assert.True(first.Exit == 0, first.Out + first.Err);
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(bundle, "test"), "*.snapshot.yaml"));

        var second = await CliRunner.Run("template", "test", bundle, "--junit", junit);
        Assert.True(second.Exit == 0, second.Out + second.Err);
        var suite = XDocument.Load(junit).Descendants("testsuite").First();
        Assert.Equal("0", suite.Attribute("failures")!.Value);
        Assert.True(int.Parse(suite.Attribute("tests")!.Value, System.Globalization.CultureInfo.InvariantCulture) >= 1);

        var template = Path.Combine(bundle, "infrastructure", "cloudformation.yaml");
        await File.WriteAllTextAsync(template, (await File.ReadAllTextAsync(template)).Replace("Outputs:", "# a new comment line\nOutputs:", StringComparison.Ordinal));
        var third = await CliRunner.Run("template", "test", bundle, "--output", "json");

        Assert.Equal(1, third.Exit);
        Assert.Contains("a new comment line", third.Out, StringComparison.Ordinal);
        Assert.Contains("test.snapshot-changed", third.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplateTest_WithoutASpecFolder_IsAUsageError()
    {
        var (exit, _, err) = await CliRunner.Run("template", "test", Path.Combine(Infrastructure.Corpus.RepoRoot, "samples", "templates", "vpc-ecs-env", "v1"));

        Assert.Equal(2, exit);
        Assert.Contains("--specs", err, StringComparison.Ordinal);
    }
}
