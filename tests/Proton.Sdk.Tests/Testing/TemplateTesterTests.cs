using System.Xml.Linq;
using Proton.Sdk.Rendering;
using Proton.Sdk.Schema;
using Proton.Sdk.Templates;
using Proton.Sdk.Testing;

namespace Proton.Sdk.Tests.Testing;

public sealed class TemplateTesterTests : IDisposable
{
    private const string Schema = "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        name:\n          type: string\n        size:\n          type: string\n          default: small\n      required: [name]\n";

    private const string GoodTemplate = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{ environment.inputs.name }}-{{ environment.inputs.size }}'\nOutputs:\n  Arn:\n    Value: !Ref Topic\n  Name:\n    Value: !GetAtt Topic.TopicName\n  Sub:\n    Value: !Sub '${Topic}-${AWS::Region}-${Topic.TopicName}-${!Literal}'\n";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "proton-tt-" + Guid.NewGuid().ToString("N"));

    public TemplateTesterTests()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "prod.yaml"), "proton: EnvironmentSpec\nspec:\n  name: prod\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RunAsync_FirstRunWritesSnapshots_SecondRunMatches()
    {
        var first = await Run(GoodTemplate);

        // prod, defaults and all-optional, each through the one template, plus the bundle-wide case.
        Assert.Equal(4, first.Cases.Count);
        Assert.All(first.Cases.Where(c => c.Template != "schema/schema.yaml"), c =>
        {
            Assert.Equal(TemplateTestStatus.Warning, c.Status);
            Assert.Equal(TemplateTestErrorCodes.SnapshotWritten, Assert.Single(c.Messages).Code);
        });
        Assert.StartsWith("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: 'prod-small'\n", File.ReadAllText(Path.Combine(_dir, "prod.infrastructure.snapshot.yaml")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "defaults.infrastructure.snapshot.yaml")));
        Assert.True(File.Exists(Path.Combine(_dir, "all-optional.infrastructure.snapshot.yaml")));

        var second = await Run(GoodTemplate);

        Assert.True(second.Succeeded);
        Assert.Equal(4, second.Passed);
        Assert.Equal(0, second.Warnings);
    }

    [Fact]
    public async Task RunAsync_ChangedTemplate_FailsWithUnifiedDiff()
    {
        await Run(GoodTemplate);

        var report = await Run(GoodTemplate.Replace("TopicName: '{{", "TopicName: 'x-{{", StringComparison.Ordinal));

        var prod = report.Cases.Single(c => c.Spec == "prod.yaml");
        Assert.Equal(TemplateTestStatus.Failed, prod.Status);
        Assert.Equal(TemplateTestErrorCodes.SnapshotChanged, Assert.Single(prod.Messages).Code);
        Assert.Equal(
            "--- prod.infrastructure.snapshot.yaml\n+++ infrastructure/cloudformation.yaml\n@@ -2,7 +2,7 @@\n   Topic:\n     Type: AWS::SNS::Topic\n     Properties:\n-      TopicName: 'prod-small'\n+      TopicName: 'x-prod-small'\n Outputs:\n   Arn:\n     Value: !Ref Topic\n",
            prod.Diff);
        Assert.Equal(3, report.Failed);
        Assert.Contains("-      TopicName: 'prod-small'", TemplateTestReportWriter.ToText(report), StringComparison.Ordinal);

        var updated = await Run(GoodTemplate.Replace("TopicName: '{{", "TopicName: 'x-{{", StringComparison.Ordinal), new TemplateTestOptions { UpdateSnapshots = true });
        Assert.True(updated.Succeeded);
        Assert.Contains("'x-prod-small'", File.ReadAllText(Path.Combine(_dir, "prod.infrastructure.snapshot.yaml")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Resources:\n  T:\n    Type: AWS::SNS::Topic\nOutputs:\n  A:\n    Value: !Ref Missing\n", "Ref 'Missing'")]
    [InlineData("Resources:\n  T:\n    Type: AWS::SNS::Topic\nOutputs:\n  A:\n    Value: !GetAtt Nope.Arn\n", "Fn::GetAtt names 'Nope'")]
    [InlineData("Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub '${Gone}-x'\n", "Fn::Sub '${Gone}'")]
    [InlineData("Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub '${Param.Attr}'\nParameters:\n  Param:\n    Type: String\n", "Fn::Sub '${Param.Attr}'")]
    public async Task RunAsync_UnknownReference_Fails(string template, string expected)
    {
        var report = await Run(template + "# {{ environment.inputs.name }} {{ environment.inputs.size }}\n");

        var prod = report.Cases.Single(c => c.Spec == "prod.yaml");
        Assert.Equal(TemplateTestStatus.Failed, prod.Status);
        var error = Assert.Single(prod.Messages, m => m.Severity == DiagnosticSeverity.Error);
        Assert.Equal(TemplateTestErrorCodes.UnknownReference, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("infrastructure/cloudformation.yaml", error.File);
    }

    [Fact]
    public async Task RunAsync_RefToParameterAndPseudoParameter_Passes()
    {
        var report = await Run("Parameters:\n  P:\n    Type: String\nResources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Join ['-', [!Ref P, !Ref 'AWS::StackName', '{{ environment.inputs.name }}{{ environment.inputs.size }}']]\n");

        Assert.DoesNotContain(report.Cases.SelectMany(c => c.Messages), m => m.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public async Task RunAsync_NotCloudFormation_Fails()
    {
        var report = await Run("Topic: {{ environment.inputs.name }} {{ environment.inputs.size }}\n");

        var prod = report.Cases.Single(c => c.Spec == "prod.yaml");
        Assert.Equal(TemplateTestErrorCodes.InvalidCloudFormation, Assert.Single(prod.Messages, m => m.Severity == DiagnosticSeverity.Error).Code);
    }

    [Fact]
    public async Task RunAsync_UndeclaredInput_FailsWithLine()
    {
        var report = await Run(GoodTemplate + "# {{ environment.inputs.nmae | default('') }}\n");

        var prod = report.Cases.Single(c => c.Spec == "prod.yaml");
        var error = Assert.Single(prod.Messages, m => m.Severity == DiagnosticSeverity.Error);
        Assert.Equal(TemplateTestErrorCodes.UndeclaredInput, error.Code);
        Assert.Contains("environment.inputs.nmae", error.Message, StringComparison.Ordinal);
        Assert.Equal(("infrastructure/cloudformation.yaml", 13, 6), (error.File, error.Line, error.Column));
    }

    [Fact]
    public async Task RunAsync_Pipeline_SeesTheInstancesLiteralOutputs_AndPlaceholdersForTheRest()
    {
        var files = new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: S\n  pipeline_input_type: P\n  types:\n    S:\n      type: object\n      properties:\n        runtime:\n          type: string\n          default: python3.9\n    P:\n      type: object\n      properties:\n        x:\n          type: string\n          default: y\n",
            ["instance_infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["instance_infrastructure/cloudformation.yaml"] = "Resources:\n  T:\n    Type: AWS::SNS::Topic\nOutputs:\n  Runtime:\n    Value: \"{{ service_instance.inputs.runtime }}\"\n  Arn:\n    Value: !Ref T\n",
            ["pipeline_infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["pipeline_infrastructure/cloudformation.yaml"] = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: {{ {'python3.9': 'py', 'nodejs18.x': 'node'}[service_instances[0].outputs.Runtime] }}-{{ service_instances[1].outputs.Runtime }}-{{ service_instances[0].outputs.Arn }}\n",
        };
        var bundle = (await TemplateBundleLoader.LoadAsync(new InMemoryBundleSource(files))).GetBundleOrThrow();
        var schema = SchemaParser.Parse(bundle).Schema!;
        var dir = Path.Combine(_dir, "pipe");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "svc.yaml"), "proton: ServiceSpec\ninstances:\n  - name: one\n    environment: env\n  - name: two\n    environment: env\n    spec:\n      runtime: nodejs18.x\npipeline:\n  x: z\n");

        var report = await new TemplateTester(new TemplateRenderer()).RunAsync(bundle, schema, dir, new TemplateTestOptions { UpdateSnapshots = true, IncludeDefaultsSpec = false, IncludeAllOptionalSpec = false });

        Assert.True(report.Succeeded, TemplateTestReportWriter.ToText(report));
        // A literal output is the instance's own value; an intrinsic (!Ref) stays a placeholder.
        Assert.Contains("QueueName: py-nodejs18.x-OUT_Arn", File.ReadAllText(Directory.EnumerateFiles(dir, "svc.pipeline_infrastructure*").Single()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ServiceWithGivenOutputs_RendersEachInstanceWithThem()
    {
        var files = new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: S\n  types:\n    S:\n      type: object\n      properties:\n        port:\n          type: number\n          default: 80\n",
            ["instance_infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["instance_infrastructure/cloudformation.yaml"] = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: {{ {'a': 'from-a'}[environment.outputs.Kind] }}-{{ service_instance.inputs.port }}\n# inputs. Then\n",
        };
        var bundle = (await TemplateBundleLoader.LoadAsync(new InMemoryBundleSource(files))).GetBundleOrThrow();
        var schema = SchemaParser.Parse(bundle).Schema!;
        var dir = Path.Combine(_dir, "svc");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "svc.yaml"), "proton: ServiceSpec\ninstances:\n  - name: one\n    environment: env\n    spec:\n      port: 8080\n  - name: two\n    environment: env\n");
        var tester = new TemplateTester(new TemplateRenderer());

        var placeholders = await tester.RunAsync(bundle, schema, dir);
        var report = await tester.RunAsync(bundle, schema, dir, new TemplateTestOptions { Outputs = new Dictionary<string, string> { ["Kind"] = "a" }, UpdateSnapshots = true });

        Assert.Equal(RenderErrorCodes.Undefined, placeholders.Cases.First(c => c.Spec == "svc.yaml[one]").Messages[0].Code);
        Assert.True(report.Succeeded, TemplateTestReportWriter.ToText(report));
        Assert.Contains("TopicName: from-a-8080", File.ReadAllText(Path.Combine(dir, "svc.instance_infrastructure.one.snapshot.yaml")), StringComparison.Ordinal);
        Assert.Contains("TopicName: from-a-80", File.ReadAllText(Path.Combine(dir, "svc.instance_infrastructure.two.snapshot.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnusedInput_Warns()
    {
        var report = await Run(GoodTemplate.Replace("-{{ environment.inputs.size }}", string.Empty, StringComparison.Ordinal));

        var bundle = report.Cases.Single(c => c.Template == "schema/schema.yaml");
        Assert.Equal(TemplateTestStatus.Warning, bundle.Status);
        var warning = Assert.Single(bundle.Messages);
        Assert.Equal(TemplateTestErrorCodes.UnusedInput, warning.Code);
        Assert.Contains("'size'", warning.Message, StringComparison.Ordinal);
        Assert.True(report.Succeeded);
    }

    [Fact]
    public async Task RunAsync_InvalidSpecAndRenderError_Fail()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.yaml"), "proton: EnvironmentSpec\nspec:\n  size: big\n");

        var report = await Run(GoodTemplate.Replace("!Ref Topic", "{{ environment.inputs.size.nope }}", StringComparison.Ordinal));

        Assert.Equal(TemplateTestErrorCodes.SpecInvalid, Assert.Single(report.Cases.Single(c => c.Spec == "bad.yaml").Messages).Code);
        var prod = report.Cases.Single(c => c.Spec == "prod.yaml");
        Assert.Equal(RenderErrorCodes.Undefined, Assert.Single(prod.Messages).Code);
    }

    [Fact]
    public async Task RunAsync_InjectedSpecValue_FailsWithInjection()
    {
        File.WriteAllText(Path.Combine(_dir, "prod.yaml"), "proton: EnvironmentSpec\nspec:\n  name: \"x\\n  Evil:\\n    Type: AWS::IAM::User\"\n");

        var report = await Run("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: {{ environment.inputs.name }}\n# {{ environment.inputs.size }}\n");

        var prod = report.Cases.Single(c => c.Spec == "prod.yaml");
        Assert.Contains(prod.Messages, m => m.Code == RenderErrorCodes.Injection && m.Message.Contains("environment.inputs.name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ToJUnitXml_IsWellFormedWithCounts()
    {
        await Run(GoodTemplate);
        var report = await Run(GoodTemplate.Replace("!Ref Topic", "!Ref Missing", StringComparison.Ordinal));

        var xml = XDocument.Parse(TemplateTestReportWriter.ToJUnitXml(report, "env"));

        var suite = xml.Root!.Element("testsuite")!;
        Assert.Equal("env", (string)suite.Attribute("name")!);
        Assert.Equal(4, (int)suite.Attribute("tests")!);
        Assert.Equal(3, (int)suite.Attribute("failures")!);
        Assert.Equal(4, suite.Elements("testcase").Count());
        Assert.Equal(3, suite.Elements("testcase").Count(t => t.Element("failure") is not null));
        var failure = suite.Elements("testcase").First(t => (string)t.Attribute("classname")! == "prod.yaml").Element("failure")!;
        Assert.Equal(TemplateTestErrorCodes.UnknownReference, (string)failure.Attribute("type")!);
        using var json = System.Text.Json.JsonDocument.Parse(TemplateTestReportWriter.ToJson(report));
        Assert.Equal(3, json.RootElement.GetProperty("failed").GetInt32());
        Assert.Equal(4, json.RootElement.GetProperty("cases").GetArrayLength());
    }

    [Fact]
    public async Task RunAsync_KnownTypeMissingRequiredProperty_FailsLocated()
    {
        // AWS::IAM::Role requires AssumeRolePolicyDocument (its provider schema); a Ref counts as given.
        var template = "Parameters:\n  P:\n    Type: String\nResources:\n  Given:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: !Ref P\n  Missing:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: '{{ environment.inputs.name }}-{{ environment.inputs.size }}'\n  Topic:\n    Type: AWS::SNS::Topic\n";
        var options = new TemplateTestOptions { ProviderSchemaFolder = Platform.UpgradeImpactTests.ProviderSchemas, IncludeDefaultsSpec = false, IncludeAllOptionalSpec = false };

        var report = await Run(template, options);

        var prod = report.Cases.Single(c => c.Spec == "prod.yaml");
        Assert.Equal(TemplateTestStatus.Failed, prod.Status);
        var error = Assert.Single(prod.Messages, m => m.Severity == DiagnosticSeverity.Error);
        Assert.Equal(TemplateTestErrorCodes.MissingRequiredProperty, error.Code);
        Assert.Equal("Resources.Missing: AWS::IAM::Role requires property 'AssumeRolePolicyDocument', which is not given.", error.Message);
        Assert.Equal(("infrastructure/cloudformation.yaml", 9), (error.File, error.Line));
        Assert.True((await Run(template, new TemplateTestOptions { IncludeDefaultsSpec = false, IncludeAllOptionalSpec = false, UpdateSnapshots = true })).Succeeded);
    }

    [Fact]
    public async Task RunAsync_UnknownTypeWithProviderSchemaFolder_Warns()
    {
        var template = "Resources:\n  X:\n    Type: AWS::Nope::Thing\n    Properties:\n      Name: '{{ environment.inputs.name }}-{{ environment.inputs.size }}'\n";

        var report = await Run(template, new TemplateTestOptions { ProviderSchemaFolder = Platform.UpgradeImpactTests.ProviderSchemas, IncludeDefaultsSpec = false, IncludeAllOptionalSpec = false });

        var prod = report.Cases.Single(c => c.Spec == "prod.yaml");
        Assert.Equal(TemplateTestErrorCodes.UnknownResourceType, Assert.Single(prod.Messages, m => m.Code != TemplateTestErrorCodes.SnapshotWritten).Code);
    }

    [Fact]
    public async Task RunAsync_ServiceReadsEnvironmentOutputTheEnvironmentLacks_FailsLocated()
    {
        const string Manifest = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";
        var service = (await TemplateBundleLoader.LoadAsync(new InMemoryBundleSource(new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: S\n  types:\n    S:\n      type: object\n      properties:\n        x:\n          type: string\n          default: y\n",
            ["instance_infrastructure/manifest.yaml"] = Manifest,
            ["instance_infrastructure/cloudformation.yaml"] = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{ service_instance.inputs.x }}-{{ environment.outputs.VpcId }}'\n      DisplayName: '{{ service_instance.environment.outputs[\"Gone\"] }}'\n",
        }))).GetBundleOrThrow();
        var environment = (await TemplateBundleLoader.LoadAsync(new InMemoryBundleSource(new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = Schema,
            ["infrastructure/manifest.yaml"] = Manifest,
            ["infrastructure/cloudformation.yaml"] = "Resources:\n  V:\n    Type: AWS::EC2::VPC\nOutputs:\n  VpcId:\n    Value: !Ref V\n{% if environment.inputs.size == 'big' %}\n  Gone:\n    Value: x\n{% endif %}\n",
        }))).GetBundleOrThrow();
        var dir = Path.Combine(_dir, "svc");
        Directory.CreateDirectory(dir);
        var options = new TemplateTestOptions { UpdateSnapshots = true, EnvironmentBundle = environment };

        var report = await new TemplateTester(new TemplateRenderer()).RunAsync(service, SchemaParser.Parse(service).Schema!, dir, options);

        var check = Assert.Single(report.Cases, c => c.Spec == "(environment outputs)");
        Assert.Equal(TemplateTestStatus.Failed, check.Status);
        var error = Assert.Single(check.Messages);
        Assert.Equal(TemplateTestErrorCodes.MissingEnvironmentOutput, error.Code);
        Assert.Contains("has no output 'Gone'", error.Message, StringComparison.Ordinal);
        Assert.Equal(("instance_infrastructure/cloudformation.yaml", 6, 41), (error.File, error.Line, error.Column));
        Assert.False(report.Succeeded);

        // The same service against an environment that always gives Gone passes.
        options.EnvironmentBundle = (await TemplateBundleLoader.LoadAsync(new InMemoryBundleSource(new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = Schema,
            ["infrastructure/manifest.yaml"] = Manifest,
            ["infrastructure/cloudformation.yaml"] = "Resources:\n  V:\n    Type: AWS::EC2::VPC\nOutputs:\n  VpcId:\n    Value: !Ref V\n  Gone:\n    Value: '{{ environment.inputs.name }}'\n",
        }))).GetBundleOrThrow();
        Assert.True((await new TemplateTester(new TemplateRenderer()).RunAsync(service, SchemaParser.Parse(service).Schema!, dir, options)).Succeeded);
    }

    private async Task<TemplateTestReport> Run(string template, TemplateTestOptions? options = null)
    {
        var files = new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = Schema,
            ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["infrastructure/cloudformation.yaml"] = template,
        };
        var bundle = (await TemplateBundleLoader.LoadAsync(new InMemoryBundleSource(files))).GetBundleOrThrow();
        var schema = SchemaParser.Parse(bundle).Schema!;
        return await new TemplateTester(new TemplateRenderer()).RunAsync(bundle, schema, _dir, options);
    }
}
