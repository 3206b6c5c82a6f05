using Proton.Sdk.Schema;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Schema;

public sealed class SchemaParserTests
{
    private static SchemaParseResult Parse(string properties, string required = "[]")
        => SchemaParser.Parse(TestSchemas.Environment(properties, required), "schema.yaml");

    [Fact]
    public void Parse_AllKeywords_AreRead()
    {
        var result = Parse("""
            port:
              title: Port
              description: The port
              type: number
              default: 80
              minimum: 0
              maximum: 65535
              exclusiveMaximum: true
              example: 8080
            name:
              type: string
              enum: [a, b]
              pattern: '^[ab]$'
              minLength: 1
              maxLength: 1
              format: password
            list:
              type: array
              items:
                type: string
              minItems: 1
              maxItems: 3
              uniqueItems: true
            """, "[name]");

        var type = result.GetSchemaOrThrow().EnvironmentInput!;
        var port = type.Property("port")!;
        Assert.Equal((SchemaValueType.Number, "Port", 80L, 0.0, 65535.0, true, 8080L), (port.Type, port.Title, port.Default, port.Minimum, port.Maximum, port.ExclusiveMaximum, port.Example));
        var name = type.Property("name")!;
        Assert.True(name.IsSecret);
        Assert.Equal(["a", "b"], name.Enum!);
        Assert.Equal((1, 1, "^[ab]$"), (name.MinLength, name.MaxLength, name.Pattern));
        var list = type.Property("list")!;
        Assert.Equal((SchemaValueType.String, 1, 3, true), (list.Items!.Type, list.MinItems, list.MaxItems, list.UniqueItems));
        Assert.True(type.MustBeGiven("name"));
        Assert.False(type.MustBeGiven("port"));
    }

    [Theory]
    [InlineData("a:\n  $ref: '#/x'", "schema.unsupported")]
    [InlineData("a:\n  type: string\n  allOf: []", "schema.unsupported")]
    [InlineData("a:\n  oneOf: []\n  type: string", "schema.unsupported")]
    [InlineData("a:\n  type: object", "schema.unsupported")]
    [InlineData("a:\n  type: array\n  items:\n    type: array", "schema.unsupported")]
    [InlineData("a:\n  type: array", "schema.invalid")]
    [InlineData("a:\n  type: text", "schema.type")]
    [InlineData("a:\n  description: no type", "schema.type")]
    [InlineData("a:\n  type: string\n  pattern: '(unclosed'", "schema.pattern-invalid")]
    [InlineData("a:\n  type: string\n  pattern: '[z-a]'", "schema.pattern-invalid")]
    [InlineData("a:\n  type: string\n  enum: [x, 1]", "schema.enum-invalid")]
    [InlineData("a:\n  type: string\n  minLength: -1", "schema.invalid")]
    [InlineData("a:\n  type: number\n  minimum: 5\n  maximum: 1", "schema.invalid")]
    public void Parse_InvalidProperty_IsAnErrorWithLocation(string property, string code)
    {
        var result = Parse(property);

        Assert.False(result.Succeeded);
        var error = result.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(code, error.Code);
        Assert.Equal("schema.yaml", error.File);
        Assert.True(error.Line >= 9, $"line {error.Line}");
    }

    [Fact]
    public void Parse_DefaultBreakingItsOwnConstraint_IsAWarning()
    {
        var result = Parse("a:\n  type: string\n  enum: [x, y]\n  default: z");

        Assert.True(result.Succeeded);
        Assert.Equal("schema.default-invalid", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Parse_RequiredNameNotAProperty_IsAnError()
    {
        var error = Assert.Single(Parse("a:\n  type: string", "[a, b]").Diagnostics);

        Assert.Equal("schema.required-unknown", error.Code);
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownKeyword_IsAWarning()
    {
        var result = Parse("a:\n  type: string\n  x-console-hint: big");

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("schema.unknown-keyword", DiagnosticSeverity.Warning), (warning.Code, warning.Severity));
    }

    [Fact]
    public void Parse_InputTypeNamedButNotDefined_IsAnError()
    {
        var result = SchemaParser.Parse("schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: Missing\n  types: {}\n");

        Assert.Equal("schema.input-type-missing", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Parse_MissingOpenApiFormat_IsAnError()
    {
        var result = SchemaParser.Parse("schema:\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties: {}\n");

        Assert.Equal("schema.format", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public async Task Parse_ServiceBundleWithPipelineInputsButNoPipeline_IsAnError()
    {
        var files = new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: S\n  pipeline_input_type: P\n  types:\n    S:\n      type: object\n      properties: {}\n    P:\n      type: object\n      properties: {}\n",
            ["instance_infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: c.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["instance_infrastructure/c.yaml"] = "Resources: {}",
        };
        var bundle = (await Proton.Sdk.Templates.TemplateBundleLoader.LoadAsync(new Proton.Sdk.Templates.InMemoryBundleSource(files))).GetBundleOrThrow();

        Assert.Equal("schema.input-type-unexpected", Assert.Single(SchemaParser.Parse(bundle).Diagnostics).Code);
    }
}
