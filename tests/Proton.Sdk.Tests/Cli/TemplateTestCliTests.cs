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
    public async Task TemplateTest_Schemas_FailsAResourceMissingARequiredProperty()
    {
        const string Manifest = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";
        var bundle = Write("env", ("schema/schema.yaml", "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        name:\n          type: string\n          default: n\n"),
            ("infrastructure/manifest.yaml", Manifest),
            ("infrastructure/cloudformation.yaml", "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: '{{ environment.inputs.name }}'\nOutputs:\n  VpcId:\n    Value: x\n"),
            ("test/prod.yaml", "proton: EnvironmentSpec\nspec:\n  name: prod\n"));
        var service = Write("svc", ("schema/schema.yaml", "schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: S\n  types:\n    S:\n      type: object\n      properties:\n        x:\n          type: string\n          default: y\n"),
            ("instance_infrastructure/manifest.yaml", Manifest),
            ("instance_infrastructure/cloudformation.yaml", "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{ service_instance.inputs.x }}-{{ environment.outputs.VpcId }}-{{ environment.outputs.SubnetId }}'\n"),
            ("test/svc.yaml", "proton: ServiceSpec\ninstances:\n  - name: one\n    environment: env\n"));

        var without = await CliRunner.Run("template", "test", bundle);
        var with = await CliRunner.Run("template", "test", bundle, "--schemas", Platform.UpgradeImpactTests.ProviderSchemas);
        var serviceAlone = await CliRunner.Run("template", "test", service);
        var serviceWithEnvironment = await CliRunner.Run("template", "test", service, "--environment-bundle", bundle);

        Assert.True(without.Exit == 0, without.Out + without.Err);
        Assert.Equal(1, with.Exit);
        Assert.Contains("test.missing-required-property: Resources.Role: AWS::IAM::Role requires property 'AssumeRolePolicyDocument'", with.Out, StringComparison.Ordinal);
        Assert.True(serviceAlone.Exit == 0, serviceAlone.Out + serviceAlone.Err);
        Assert.Equal(1, serviceWithEnvironment.Exit);
        Assert.Contains("test.missing-environment-output: 'environment.outputs.SubnetId' is read", serviceWithEnvironment.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("outputs.VpcId' is read", serviceWithEnvironment.Out, StringComparison.Ordinal);
    }

    private string Write(string name, params (string Path, string Text)[] files)
    {
        var root = Path.Combine(_dir, name);
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return root;
    }

    [Fact]
    public async Task TemplateTest_WithoutASpecFolder_IsAUsageError()
    {
        var (exit, _, err) = await CliRunner.Run("template", "test", Path.Combine(Infrastructure.Corpus.RepoRoot, "samples", "templates", "vpc-ecs-env", "v1"));

        Assert.Equal(2, exit);
        Assert.Contains("--specs", err, StringComparison.Ordinal);
    }
}
