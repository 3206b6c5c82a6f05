using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Templates;

public sealed class CorpusBundleTests
{
    /// <summary>Every folder of the corpus that holds a bundle: a schema, an infrastructure folder with a manifest, or a component manifest.</summary>
    public static TheoryData<string> BundleFolders()
    {
        var data = new TheoryData<string>();
        foreach (var dir in FindBundleFolders())
        {
            data.Add(Path.GetRelativePath(Corpus.Bundles, dir));
        }

        return data;
    }

    internal static IEnumerable<string> FindBundleFolders()
    {
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var manifest in Directory.EnumerateFiles(Corpus.Bundles, "manifest.yaml", SearchOption.AllDirectories))
        {
            var dir = Path.GetDirectoryName(manifest)!;
            var name = Path.GetFileName(dir);
            folders.Add(name is "infrastructure" or "instance_infrastructure" or "pipeline_infrastructure" ? Path.GetDirectoryName(dir)! : dir);
        }

        return folders;
    }

    [Fact]
    public void Corpus_HasTheBundlesTheInventoryLists()
    {
        // inventory.md: 63 bundles at the newest commits (39 CloudFormation, 21 Terraform, 3 CodeBuild); one is a scaffold outside the corpus.
        Assert.Equal(63, FindBundleFolders().Count());
    }

    [Theory]
    [MemberData(nameof(BundleFolders))]
    public async Task LoadAsync_CorpusBundle_LoadsWithItsKind(string relative)
    {
        var path = Path.Combine(Corpus.Bundles, relative);
        var result = await TemplateBundleLoader.LoadAsync(path);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var bundle = result.Bundle!;
        Assert.NotEmpty(bundle.Parts);
        Assert.Equal(64, bundle.ContentHash.Length);
        var expectedKind = Directory.Exists(Path.Combine(path, "infrastructure")) ? TemplateKind.Environment
            : Directory.Exists(Path.Combine(path, "instance_infrastructure")) ? TemplateKind.Service
            : TemplateKind.Component;
        Assert.Equal(expectedKind, bundle.Kind);
        if (expectedKind != TemplateKind.Component)
        {
            Assert.NotNull(bundle.SchemaFile);
        }

        foreach (var part in bundle.Parts)
        {
            var engine = part.RenderingEngine;
            var expectedMethod = engine switch
            {
                "hcl" => ProvisioningMethod.Terraform,
                "codebuild" => ProvisioningMethod.CodeBuild,
                _ => ProvisioningMethod.CloudFormation,
            };
            Assert.Equal(expectedMethod, part.ProvisioningMethod);
            if (expectedMethod == ProvisioningMethod.CodeBuild)
            {
                Assert.Empty(part.TemplateFiles);
                Assert.NotNull(part.Templates[0].Settings);
            }
            else
            {
                Assert.NotEmpty(part.TemplateFiles);
            }
        }
    }

    [Fact]
    public async Task LoadAsync_TerraformServiceWithCompatibleEnvs_ReadsLegacyRegistration()
    {
        var path = Path.Combine(Corpus.Bundles, "aws-samples+aws-proton-terraform-sample-templates/service-templates/apigw-lambda-svc/v1");
        var bundle = (await TemplateBundleLoader.LoadAsync(path)).GetBundleOrThrow();

        Assert.Equal(TemplateKind.Service, bundle.Kind);
        Assert.False(bundle.IsCloudFormation);
        Assert.Equal(new CompatibleEnvironment("vpc-env", 1), Assert.Single(bundle.Registration!.CompatibleEnvironments));
        Assert.Equal(".compatible-envs", bundle.Registration.SourceFile);
        Assert.All(bundle.Parts, p => Assert.Equal(ProvisioningMethod.Terraform, p.ProvisioningMethod));
    }

    [Fact]
    public async Task LoadAsync_CodeBuildServiceWithTemplateRegistration_ReadsIt()
    {
        var path = Path.Combine(Corpus.Bundles, "aws-samples+aws-proton-saas-tenant-provisioning-and-deployments/service-templates/ecs-fargate-service/v1");
        var bundle = (await TemplateBundleLoader.LoadAsync(path)).GetBundleOrThrow();

        Assert.True(bundle.HasPipeline);
        Assert.NotEmpty(bundle.Registration!.CompatibleEnvironments);
        Assert.Equal(".template-registration.yaml", bundle.Registration.SourceFile);
        Assert.All(bundle.Parts, p => Assert.Equal(ProvisioningMethod.CodeBuild, p.ProvisioningMethod));
    }

    [Fact]
    public async Task LoadAsync_TemplateCheckerFixtureWithEngineKey_WarnsAndReadsJinja()
    {
        var path = Path.Combine(Corpus.Bundles, "aws-samples+aws-proton-template-checker-action/test/sample_templates/valid_env_template");
        var result = await TemplateBundleLoader.LoadAsync(path);

        Assert.True(result.Succeeded);
        Assert.Equal("jinja", result.Bundle!.Parts[0].RenderingEngine);
        var warning = Assert.Single(result.Diagnostics, d => d.Code == "manifest.engine-alias");
        Assert.Equal("infrastructure/manifest.yaml", warning.File);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
    }

    public static TheoryData<string> SpecFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Corpus.Bundles, "*.y*ml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            if (System.Text.RegularExpressions.Regex.IsMatch(text, @"(?m)^proton:\s*""?(EnvironmentSpec|ServiceSpec)"))
            {
                data.Add(Path.GetRelativePath(Corpus.Bundles, file));
            }
        }

        return data;
    }

    [Fact]
    public void Corpus_HasSpecFiles()
    {
        var count = SpecFiles().Count;
        Assert.True(count >= 60, $"found {count} spec files");
    }

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public async Task ParseFileAsync_CorpusSpec_Parses(string relative)
    {
        var result = await SpecParser.ParseFileAsync(Path.Combine(Corpus.Bundles, relative));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        switch (result.Spec)
        {
            case EnvironmentSpec env:
                Assert.NotNull(env.Spec);
                break;
            case ServiceSpec svc:
                Assert.All(svc.Instances, i => Assert.True(ProtonNames.IsValid(i.Name)));
                break;
            default:
                Assert.Fail("unexpected spec type");
                break;
        }
    }
}
