using Proton.Sdk.Templates;

namespace Proton.Sdk.Tests.Templates;

public sealed class ManifestTests
{
    private static BundleLoadResult Load(Dictionary<string, string> files)
        => TemplateBundleLoader.Load(files.Select(kv => new BundleFile(kv.Key, System.Text.Encoding.UTF8.GetBytes(kv.Value))).ToList(), "test");

    private static Dictionary<string, string> Environment(string manifest, params (string Path, string Text)[] extra)
    {
        var files = new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties: {}\n",
            ["infrastructure/manifest.yaml"] = manifest,
        };
        foreach (var (p, t) in extra)
        {
            files[p] = t;
        }

        return files;
    }

    [Fact]
    public void Load_ManifestNamesMissingFile_ReportsLineAndColumn()
    {
        var result = Load(Environment("infrastructure:\n  templates:\n    - file: \"cfn.yaml\"\n      rendering_engine: jinja\n      template_language: cloudformation\n"));

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("manifest.file-missing", error.Code);
        Assert.Equal("infrastructure/manifest.yaml", error.File);
        Assert.Equal((3, 7), (error.Line, error.Column));
        Assert.Contains("'cfn.yaml'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownEngine_IsAnError()
    {
        var result = Load(Environment("infrastructure:\n  templates:\n    - file: a.yaml\n      rendering_engine: mustache\n", ("infrastructure/a.yaml", "x")));

        Assert.Equal("manifest.unknown-engine", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Load_TerraformWildcard_ExpandsToTfFiles()
    {
        var result = Load(Environment(
            "infrastructure:\n  templates:\n    - file: \"*\"\n      rendering_engine: hcl\n      template_language: terraform\n",
            ("infrastructure/main.tf", "x"), ("infrastructure/outputs.tf", "y"), ("infrastructure/README.md", "z")));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var part = result.Bundle!.Parts[0];
        Assert.Equal(ProvisioningMethod.Terraform, part.ProvisioningMethod);
        Assert.Equal(["infrastructure/main.tf", "infrastructure/outputs.tf"], part.TemplateFiles.Select(f => f.Path));
    }

    [Fact]
    public void Load_CodeBuildWithoutProvision_IsAnError()
    {
        var result = Load(Environment("infrastructure:\n  templates:\n    - rendering_engine: codebuild\n      settings:\n        image: aws/codebuild/standard:6.0\n"));

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("manifest.invalid", error.Code);
        Assert.Equal(5, error.Line);
    }

    [Fact]
    public void Load_MissingManifest_IsAnError()
    {
        var files = Environment("x");
        files.Remove("infrastructure/manifest.yaml");
        files["infrastructure/cloudformation.yaml"] = "Resources: {}";

        Assert.Equal("manifest.missing", Assert.Single(Load(files).Diagnostics).Code);
    }

    [Fact]
    public void Load_SchemaOnly_IsCustomerManagedEnvironment()
    {
        var files = Environment("x");
        files.Remove("infrastructure/manifest.yaml");

        var result = Load(files);

        Assert.True(result.Succeeded);
        Assert.True(result.Bundle!.IsCustomerManaged);
    }

    [Fact]
    public void Load_NotABundle_SaysWhatIsMissing()
    {
        var result = Load(new Dictionary<string, string> { ["README.md"] = "hello" });

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(BundleErrorCodes.Layout, error.Code);
        Assert.Contains("schema/schema.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidRegistration_ReportsTheEntry()
    {
        var files = new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = "schema: {}",
            ["instance_infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: c.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["instance_infrastructure/c.yaml"] = "Resources: {}",
            [".template-registration.yaml"] = "compatible_environments:\n  - \"vpc-env:1\"\n  - \"no-major\"\n",
        };

        var error = Assert.Single(Load(files).Diagnostics);
        Assert.Equal("registration.invalid", error.Code);
        Assert.Equal((3, 5), (error.Line, error.Column));
    }
}
