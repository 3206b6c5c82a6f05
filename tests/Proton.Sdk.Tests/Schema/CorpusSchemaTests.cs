using Proton.Sdk.Schema;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Infrastructure;
using Proton.Sdk.Tests.Templates;

namespace Proton.Sdk.Tests.Schema;

public sealed class CorpusSchemaTests
{
    public static TheoryData<string> BundlesWithSchemas()
    {
        var data = new TheoryData<string>();
        foreach (var dir in CorpusBundleTests.FindBundleFolders().Where(d => File.Exists(Path.Combine(d, "schema", "schema.yaml"))))
        {
            data.Add(Path.GetRelativePath(Corpus.Bundles, dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BundlesWithSchemas))]
    public async Task Parse_CorpusSchema_ParsesAndFitsItsBundle(string relative)
    {
        var bundle = (await TemplateBundleLoader.LoadAsync(Path.Combine(Corpus.Bundles, relative))).GetBundleOrThrow();

        var result = SchemaParser.Parse(bundle);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.All(result.Diagnostics, d => Assert.Equal("schema.default-invalid", d.Code));
        var schema = result.Schema!;
        var main = bundle.Kind == TemplateKind.Environment ? schema.EnvironmentInput : schema.ServiceInput;
        Assert.NotNull(main);
        Assert.All(main!.Required, r => Assert.NotNull(main.Property(r)));
        Assert.Equal(bundle.HasPipeline && schema.PipelineInput is not null, schema.PipelineInput is not null);
    }

    /// <summary>(bundle, spec) pairs from the corpus inventory: every bundle that names a spec file.</summary>
    public static TheoryData<string, string> SpecPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(Path.Combine(Corpus.Root, "inventory.md")))
        {
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length < 10 || cells[2] != "head" || !cells[8].StartsWith('`'))
            {
                continue;
            }

            var repo = Directory.GetDirectories(Corpus.Bundles, "*" + cells[3]).Single();
            var bundle = cells[4].Replace("**TF** ", string.Empty, StringComparison.Ordinal).Replace("**CB** ", string.Empty, StringComparison.Ordinal).Trim('`');
            data.Add(Path.GetRelativePath(Corpus.Bundles, Path.Combine(repo, bundle)), Path.GetRelativePath(Corpus.Bundles, Path.Combine(repo, cells[8].Trim('`'))));
        }

        return data;
    }

    /// <summary>
    /// AWS's own sample specs that set inputs their schemas lack (checked against the schemas by hand): Proton.Sdk rejects each
    /// with schema.unknown-input, and the "did you mean" suggestion where one is close.
    /// </summary>
    private static readonly Dictionary<string, string[]> ExpectedFailures = new()
    {
        ["aws-samples+aws-proton-cloudformation-sample-templates/lambda-multi-svc/service-crud/v1"] = [PackagingCommands],
        ["aws-samples+aws-proton-cloudformation-sample-templates/lambda-multi-svc/service-data-processing/v1"] = [ResourceHandler("CrudServiceInput"), PackagingCommands],
        ["aws-samples+aws-proton-sample-templates/lambda-multi-svc/service-crud"] = [PackagingCommands],
        ["aws-samples+aws-proton-sample-templates/lambda-multi-svc/service-data-processing"] = [ResourceHandler("CrudServiceInput"), PackagingCommands],
        ["aws-samples+aws-proton-template-checker-action/test/sample_templates/invalid_jinja_syntax_template"] = [Empty, PipelineWithoutPipeline],
        ["aws-samples+aws-proton-template-checker-action/test/sample_templates/invalid_jinja_template"] = [Empty, PipelineWithoutPipeline],
        ["aws-samples+aws-proton-template-checker-action/test/sample_templates/valid_svc_template"] = [Empty, PipelineWithoutPipeline],
        ["aws-samples+aws-proton-template-checker-action/test/sample_templates/valid_svc_pipeline_template"] =
        [
            "instances[0].spec.resource_name: 'resource_name' is not an input of HTTPServiceInput. (schema.unknown-input)",
            ResourceHandler("HTTPServiceInput"),
            PackagingCommands,
        ],
    };

    private const string PackagingCommands = "pipeline.packaging_commands: 'packaging_commands' is not an input of PipelineInputs. Did you mean 'packaging_command'? (schema.unknown-input)";
    private const string Empty = "instances[0].spec.empty: 'empty' is not an input of LoadBalancedFargateServiceInput. (schema.unknown-input)";
    private const string PipelineWithoutPipeline = "pipeline: 'pipeline' gives inputs, but the template has no pipeline. (schema.unknown-input)";

    private static string ResourceHandler(string type) => $"instances[0].spec.resource_handler: 'resource_handler' is not an input of {type}. (schema.unknown-input)";

    [Fact]
    public async Task Parse_SaasSampleWithBadDefault_WarnsAndValidationFailsOnlyWhenTheDefaultIsUsed()
    {
        var bundle = (await TemplateBundleLoader.LoadAsync(Path.Combine(Corpus.Bundles, "aws-samples+aws-proton-saas-tenant-provisioning-and-deployments/service-templates/ecs-fargate-service/v1"))).GetBundleOrThrow();

        var result = SchemaParser.Parse(bundle);

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("schema.default-invalid", DiagnosticSeverity.Warning, 52, 20), (warning.Code, warning.Severity, warning.Line, warning.Column));
        var validator = new SpecValidator(result.GetSchemaOrThrow());
        var withDefault = validator.ValidateInputs(InputKind.ServiceInstance, new Dictionary<string, object?>(), "instances[0].spec");
        var set = validator.ValidateInputs(InputKind.ServiceInstance, new Dictionary<string, object?> { ["load_balanced_public"] = true }, "instances[0].spec");
        Assert.Equal("instances[0].spec.load_balanced_public", Assert.Single(withDefault.Failures, f => f.Code == "schema.default-invalid").Path);
        Assert.DoesNotContain(set.Failures, f => f.Code == "schema.default-invalid");
    }

    [Theory]
    [MemberData(nameof(SpecPairs))]
    public async Task Validate_CorpusSpec_AgainstItsBundle(string bundlePath, string specPath)
    {
        var bundle = (await TemplateBundleLoader.LoadAsync(Path.Combine(Corpus.Bundles, bundlePath))).GetBundleOrThrow();
        var schema = SchemaParser.Parse(bundle).GetSchemaOrThrow();
        var spec = (await SpecParser.ParseFileAsync(Path.Combine(Corpus.Bundles, specPath))).GetSpecOrThrow();

        var result = new SpecValidator(schema).Validate(spec);

        var actual = result.Failures.Select(f => f.ToString()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(ExpectedFailures.GetValueOrDefault(bundlePath, []).Order(StringComparer.Ordinal), actual);
        Assert.True(result.Failures.All(f => f.Code == "schema.unknown-input"), string.Join("\n", actual));
        if (result.IsValid)
        {
            Assert.True(result.Environment is not null || result.Instances.Count == ((ServiceSpec)spec).Instances.Count);
        }

        // With unknown inputs ignored, every AWS sample spec is valid against its bundle.
        var lenient = new SpecValidator(schema, new SpecValidationOptions { IgnoreUnknownInputs = true }).Validate(spec);
        Assert.True(lenient.IsValid, string.Join("\n", lenient.Failures));
    }
}
