using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Infrastructure;
using Proton.Sdk.Tests.Testing;

namespace Proton.Sdk.Tests.Cli;

/// <summary>
/// <c>proton template test</c> through the command line on every corpus bundle with the spec files AWS ships beside it
/// (copied to a temporary folder, so the snapshots the first run writes never land in the corpus): exit 0 and a second
/// run that matches the snapshots the first wrote, or exactly the findings README lists for that bundle (exit 1).
/// </summary>
public sealed class CorpusTemplateTestCliTests
{
    private const string PackagingCommands = "test.spec-invalid: pipeline.packaging_commands: schema.unknown-input: 'packaging_commands' is not an input of PipelineInputs. Did you mean 'packaging_command'?";
    private const string ResourceHandler = "test.spec-invalid: instances[0].spec.resource_handler: schema.unknown-input: 'resource_handler' is not an input of {0}.";
    private const string EmptyInput = "test.spec-invalid: instances[0].spec.empty: schema.unknown-input: 'empty' is not an input of LoadBalancedFargateServiceInput.";
    private const string PipelineWithout = "test.spec-invalid: pipeline: schema.unknown-input: 'pipeline' gives inputs, but the template has no pipeline.";

    /// <summary>The findings left on corpus bundles (README, "template test on AWS's samples"); every other bundle passes.</summary>
    private static readonly Dictionary<string, string[]> Known = new(StringComparer.Ordinal)
    {
        ["aws-samples+aws-proton-sample-templates/lambda-multi-svc/service-crud"] = [PackagingCommands],
        ["aws-samples+aws-proton-cloudformation-sample-templates/lambda-multi-svc/service-crud/v1"] = [PackagingCommands],
        ["aws-samples+aws-proton-sample-templates/lambda-multi-svc/service-data-processing"] = [string.Format(System.Globalization.CultureInfo.InvariantCulture, ResourceHandler, "CrudServiceInput"), PackagingCommands],
        ["aws-samples+aws-proton-cloudformation-sample-templates/lambda-multi-svc/service-data-processing/v1"] = [string.Format(System.Globalization.CultureInfo.InvariantCulture, ResourceHandler, "CrudServiceInput"), PackagingCommands],
        ["aws-samples+aws-proton-template-checker-action/test/sample_templates/valid_svc_pipeline_template"] =
            [string.Format(System.Globalization.CultureInfo.InvariantCulture, ResourceHandler, "HTTPServiceInput"), "test.spec-invalid: instances[0].spec.resource_name: schema.unknown-input: 'resource_name' is not an input of HTTPServiceInput.", PackagingCommands],
        ["aws-samples+aws-proton-template-checker-action/test/sample_templates/valid_svc_template"] = [EmptyInput, PipelineWithout],
        ["aws-samples+aws-proton-template-checker-action/test/sample_templates/invalid_jinja_template"] =
            ["render.undefined: 'dict object' has no attribute 'this_does'", EmptyInput, PipelineWithout, "test.undeclared-input: 'service_instance.inputs.this_does' is not declared in the schema (LoadBalancedFargateServiceInput)."],
        ["aws-samples+aws-proton-template-checker-action/test/sample_templates/invalid_jinja_syntax_template"] = ["render.syntax: expected token 'end of statement block', got 'SecurityGroups'", EmptyInput, PipelineWithout],
    };

    public static TheoryData<string> Bundles() => CorpusTemplateTestTests.Bundles();

    [Theory]
    [MemberData(nameof(Bundles))]
    public async Task TemplateTest_CorpusBundleWithItsSpecs_ExitsZero(string relative)
    {
        var root = Path.Combine(Corpus.Bundles, relative);
        var loaded = await TemplateBundleLoader.LoadAsync(root);
        Assert.True(loaded.Bundle is not null, string.Join("; ", loaded.Diagnostics));
        var kind = loaded.Bundle!.Kind == TemplateKind.Environment ? "EnvironmentSpec" : "ServiceSpec";
        var specs = CorpusTemplateTestTests.SpecFiles(root).Where(f => File.ReadAllText(f).Contains(kind, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(specs);
        var dir = Directory.CreateTempSubdirectory("proton-corpus-cli-").FullName;
        try
        {
            foreach (var spec in specs)
            {
                File.Copy(spec, Path.Combine(dir, Path.GetFileName(spec)));
            }

            // With the provider schemas: unknown types only warn, and no corpus resource misses a required property.
            var first = await CliRunner.Run("template", "test", root, "--specs", dir, "--schemas", Platform.UpgradeImpactTests.ProviderSchemas);
            var second = await CliRunner.Run("template", "test", root, "--specs", dir);

            if (Known.TryGetValue(relative.Replace('\\', '/'), out var known))
            {
                // Exactly the listed findings, each distinct error once (file and position left out).
                var findings = (first.Out + first.Err).Split('\n').Where(l => l.Contains(" error ", StringComparison.Ordinal))
                    .Select(l => l[(l.IndexOf(" error ", StringComparison.Ordinal) + 7)..].Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
                Assert.Equal(1, first.Exit);
                Assert.Equal(known.Order(StringComparer.Ordinal), findings);
                return;
            }

            Assert.True(first.Exit == 0, $"{relative}: exit {first.Exit}\n{first.Out}\n{first.Err}");
            Assert.True(second.Exit == 0, $"{relative} (second run, against the snapshots): exit {second.Exit}\n{second.Out}\n{second.Err}");
            Assert.All(specs, s => Assert.Contains(Path.GetFileName(s), second.Out, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
