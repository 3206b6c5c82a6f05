using Proton.Sdk.Cli;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Cli;

public sealed class CliTests
{
    private static Task<(int Exit, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public async Task BundleInspect_CorpusService_PrintsKindPartsAndCompatibility()
    {
        var path = Path.Combine(Corpus.Bundles, "aws-samples+aws-proton-cloudformation-sample-templates/loadbalanced-fargate-svc/loadbalanced-fargate-svc/v1");

        var (exit, output, _) = await Run("bundle", "inspect", path);

        Assert.Equal(0, exit);
        Assert.Contains("kind:         Service", output, StringComparison.Ordinal);
        Assert.Contains("instance_infrastructure/ engine=jinja provisioning=CloudFormation", output, StringComparison.Ordinal);
        Assert.Contains("pipeline_infrastructure/ engine=jinja", output, StringComparison.Ordinal);
        Assert.Contains("service_input_type:", output, StringComparison.Ordinal);
        Assert.Contains("compatible:   loadbalanced-fargate-env:1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BundleInspect_Json_IsMachineReadable()
    {
        var path = Path.Combine(Corpus.Bundles, "aws-samples+aws-proton-terraform-sample-templates/environment-templates/vpc-env/v1");

        var (exit, output, _) = await Run("bundle", "inspect", path, "--output", "json");

        Assert.Equal(0, exit);
        var json = System.Text.Json.JsonDocument.Parse(output).RootElement;
        Assert.Equal("Environment", json.GetProperty("kind").GetString());
        Assert.Equal("Terraform", json.GetProperty("parts")[0].GetProperty("provisioning").GetString());
    }

    [Fact]
    public async Task BundleInspect_HostileArchive_ExitsOneWithDiagnostic()
    {
        var file = Path.GetTempFileName() + ".tar.gz";
        await using (var archive = Archives.Build(tar => Archives.AddFile(tar, "../escape.yaml", "x")))
        await using (var f = File.Create(file))
        {
            await archive.CopyToAsync(f);
        }

        try
        {
            var (exit, _, err) = await Run("bundle", "inspect", file);

            Assert.Equal(1, exit);
            Assert.Contains("error bundle.path-traversal", err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData()]
    [InlineData("frobnicate")]
    [InlineData("bundle", "inspect")]
    [InlineData("bundle", "inspect", "a", "b")]
    [InlineData("bundle", "inspect", "a", "--output", "xml")]
    [InlineData("render", "t.yaml")]
    [InlineData("render", "t.yaml", "--context")]
    [InlineData("render", "t.yaml", "--context", "c.json", "--engine", "liquid")]
    [InlineData("render", "t.yaml", "--context", "c.json", "--bogus", "1")]
    public async Task UsageErrors_ExitTwo(params string[] args)
    {
        var (exit, _, err) = await Run(args);

        Assert.Equal(2, exit);
        Assert.NotEmpty(err);
    }

    [Fact]
    public async Task Render_CorpusCase_WritesExactlyTheRendering()
    {
        var dir = Path.Combine(Corpus.RenderCases, "026");

        var (exit, output, err) = await Run("render", Path.Combine(dir, "template.yaml"), "--context", Path.Combine(dir, "context.json"));

        Assert.Equal(0, exit);
        Assert.Empty(err);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(dir, "expected.yaml")), output);
    }

    [Fact]
    public async Task Render_ToFile_WritesTheFile()
    {
        var dir = Path.Combine(Corpus.RenderCases, "026");
        var outFile = Path.GetTempFileName();
        try
        {
            var (exit, output, _) = await Run("render", Path.Combine(dir, "template.yaml"), "--context", Path.Combine(dir, "context.json"), "-o", outFile);

            Assert.Equal(0, exit);
            Assert.Empty(output);
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(dir, "expected.yaml")), await File.ReadAllTextAsync(outFile));
        }
        finally
        {
            File.Delete(outFile);
        }
    }

    [Fact]
    public async Task Render_Undefined_ExitsOneWithFileLineColumn()
    {
        var dir = Path.Combine(Corpus.RenderCases, "002");
        var template = Path.Combine(dir, "template.yaml");

        var (exit, output, err) = await Run("render", template, "--context", Path.Combine(dir, "context.json"));

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(template)}:\d+:\d+: render.undefined: 'dict object' has no attribute 'this_does'", err);
    }
}
