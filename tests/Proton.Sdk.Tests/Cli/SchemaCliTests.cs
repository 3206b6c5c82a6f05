using Proton.Sdk.Cli;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Cli;

public sealed class SchemaCliTests
{
    private static Task<(int Exit, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    private static string WriteBundle(string schemaProperties)
    {
        var dir = Directory.CreateTempSubdirectory("proton-cli-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "schema"));
        Directory.CreateDirectory(Path.Combine(dir, "infrastructure"));
        File.WriteAllText(Path.Combine(dir, "schema", "schema.yaml"),
            "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n" + string.Join("\n", schemaProperties.Split('\n').Select(l => "        " + l)) + "\n");
        File.WriteAllText(Path.Combine(dir, "infrastructure", "manifest.yaml"), "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n");
        File.WriteAllText(Path.Combine(dir, "infrastructure", "cloudformation.yaml"), "Resources: {}\n");
        return dir;
    }

    [Fact]
    public async Task SchemaDiff_BreakingChange_PrintsMajorAndReasons()
    {
        var v1 = WriteBundle("port:\n  type: number\n  maximum: 100");
        var v2 = WriteBundle("port:\n  type: number\n  maximum: 50\nname:\n  type: string");
        try
        {
            var (exit, output, _) = await Run("schema", "diff", v1, v2);

            Assert.Equal(0, exit);
            Assert.StartsWith("bump: major", output, StringComparison.Ordinal);
            Assert.Contains("breaking environment.port: maximum changed from 100 to 50", output, StringComparison.Ordinal);
            Assert.Contains("additive environment.name: new optional input 'name'", output, StringComparison.Ordinal);

            var (_, json, _) = await Run("schema", "diff", v1, v2, "--output", "json");
            Assert.Equal("major", System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("bump").GetString());
        }
        finally
        {
            Directory.Delete(v1, true);
            Directory.Delete(v2, true);
        }
    }

    [Fact]
    public async Task SpecValidate_InvalidSpec_ExitsOneWithEveryFailureLocated()
    {
        var bundle = WriteBundle("port:\n  type: number\n  maximum: 100\nsize:\n  type: string\n  enum: [s, m]");
        var spec = Path.Combine(bundle, "spec.yaml");
        await File.WriteAllTextAsync(spec, "proton: EnvironmentSpec\nspec:\n  port: 500\n  size: xl\n  prot: 1\n");
        try
        {
            var (exit, output, err) = await Run("spec", "validate", bundle, spec);

            Assert.Equal(1, exit);
            Assert.Empty(output);
            var lines = err.Trim().Split('\n');
            Assert.Equal(3, lines.Length);
            Assert.Contains($"{spec}:3:9: error schema.maximum: spec.port: 'port' must be at most 100; got 500.", lines);
            Assert.Contains(lines, l => l.StartsWith($"{spec}:4:9: error schema.enum: spec.size", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith($"{spec}:5:9: error schema.unknown-input: spec.prot", StringComparison.Ordinal) && l.Contains("Did you mean 'port'?", StringComparison.Ordinal));

            var (lenientExit, _, lenientErr) = await Run("spec", "validate", bundle, spec, "--ignore-unknown-inputs");
            Assert.Equal(1, lenientExit);
            Assert.Equal(2, lenientErr.Trim().Split('\n').Length);
        }
        finally
        {
            Directory.Delete(bundle, true);
        }
    }

    [Fact]
    public async Task SpecValidate_CorpusPair_IsValid()
    {
        var root = Path.Combine(Corpus.Bundles, "aws-samples+aws-proton-cloudformation-sample-templates/loadbalanced-fargate-svc");

        var (exit, output, err) = await Run("spec", "validate", Path.Combine(root, "loadbalanced-fargate-svc/v1"), Path.Combine(root, "specs/svc-spec.yaml"));

        Assert.True(exit == 0, err);
        Assert.Equal("valid: 1 instance(s) and a pipeline\n", output);
    }
}
