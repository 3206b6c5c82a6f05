using Proton.Sdk.Schema;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Schema;

public sealed class SchemaValidationTests
{
    private static ParameterSchema Schema(string properties, string required = "[]")
    {
        var result = SchemaParser.Parse(TestSchemas.Environment(properties, required));
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Schema!;
    }

    private static string Indent(string text, int n) => TestSchemas.Indent(text, n);

    private static InputValidationResult Validate(ParameterSchema schema, string yamlInputs, IReadOnlyDictionary<string, object?>? current = null, bool ignoreUnknown = false)
    {
        var spec = (EnvironmentSpec)SpecParser.Parse("proton: EnvironmentSpec\nspec:\n" + Indent(yamlInputs, 2)).GetSpecOrThrow();
        return new SpecValidator(schema, new SpecValidationOptions { IgnoreUnknownInputs = ignoreUnknown }).ValidateInputs(InputKind.Environment, spec.Spec, "spec", current);
    }

    [Theory]
    [InlineData("type: string", "v: hello", true, null)]
    [InlineData("type: string", "v: 80", false, "schema.type")]
    [InlineData("type: string", "v: true", false, "schema.type")]
    [InlineData("type: number", "v: 80", true, null)]
    [InlineData("type: number", "v: 0.5", true, null)]
    [InlineData("type: number", "v: \"80\"", true, null)]
    [InlineData("type: number", "v: abc", false, "schema.type")]
    [InlineData("type: number", "v: true", false, "schema.type")]
    [InlineData("type: integer", "v: 3", true, null)]
    [InlineData("type: integer", "v: 3.0", true, null)]
    [InlineData("type: integer", "v: 3.5", false, "schema.type")]
    [InlineData("type: boolean", "v: false", true, null)]
    [InlineData("type: boolean", "v: \"true\"", true, null)]
    [InlineData("type: boolean", "v: yes", false, "schema.type")]
    [InlineData("type: array\nitems:\n  type: string", "v: [a, b]", true, null)]
    [InlineData("type: array\nitems:\n  type: string", "v: [a, 1]", false, "schema.type")]
    [InlineData("type: array\nitems:\n  type: string", "v: a", false, "schema.type")]
    [InlineData("type: string\nenum: [small, large]", "v: small", true, null)]
    [InlineData("type: string\nenum: [small, large]", "v: huge", false, "schema.enum")]
    [InlineData("type: number\nenum: [1, 2]", "v: 2.0", true, null)]
    [InlineData("type: string\npattern: '^[a-z]+$'", "v: abc", true, null)]
    [InlineData("type: string\npattern: '^[a-z]+$'", "v: Abc", false, "schema.pattern")]
    [InlineData("type: string\npattern: '^\\d+$'", "v: '٣'", false, "schema.pattern")]
    [InlineData("type: number\nminimum: 1", "v: 1", true, null)]
    [InlineData("type: number\nminimum: 1", "v: 0", false, "schema.minimum")]
    [InlineData("type: number\nminimum: 1\nexclusiveMinimum: true", "v: 1", false, "schema.minimum")]
    [InlineData("type: number\nexclusiveMinimum: 1", "v: 1.5", true, null)]
    [InlineData("type: number\nmaximum: 10", "v: 10", true, null)]
    [InlineData("type: number\nmaximum: 10", "v: 11", false, "schema.maximum")]
    [InlineData("type: number\nmaximum: 10\nexclusiveMaximum: true", "v: 10", false, "schema.maximum")]
    [InlineData("type: string\nminLength: 2", "v: a", false, "schema.min-length")]
    [InlineData("type: string\nminLength: 2", "v: ab", true, null)]
    [InlineData("type: string\nmaxLength: 2", "v: abc", false, "schema.max-length")]
    [InlineData("type: string\nmaxLength: 2", "v: '😀😀'", true, null)]
    [InlineData("type: array\nitems:\n  type: string\nminItems: 2", "v: [a]", false, "schema.min-items")]
    [InlineData("type: array\nitems:\n  type: string\nmaxItems: 1", "v: [a, b]", false, "schema.max-items")]
    [InlineData("type: array\nitems:\n  type: string\nuniqueItems: true", "v: [a, a]", false, "schema.unique-items")]
    [InlineData("type: array\nitems:\n  type: string\nuniqueItems: true", "v: [a, b]", true, null)]
    [InlineData("type: array\nitems:\n  type: string\n  pattern: '^x'", "v: [x1, y2]", false, "schema.pattern")]
    public void Validate_Keyword(string property, string input, bool valid, string? code)
    {
        var schema = Schema("v:\n" + Indent(property, 2));

        var result = Validate(schema, input);

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            var failure = Assert.Single(result.Failures);
            Assert.Equal(code, failure.Code);
            Assert.Equal("spec.v", failure.Path);
            Assert.StartsWith("'v' ", failure.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_AllFailuresAtOnce_WithPathsAndAttemptedValues()
    {
        var schema = Schema("port:\n  type: number\n  maximum: 65535\nsize:\n  type: string\n  enum: [s, m]\nname:\n  type: string", "[name]");

        var result = Validate(schema, "port: 70000\nsize: xl\nprot: 1");

        Assert.False(result.IsValid);
        Assert.Equal(
            ["spec.name:schema.required", "spec.port:schema.maximum", "spec.prot:schema.unknown-input", "spec.size:schema.enum"],
            result.Failures.Select(f => $"{f.Path}:{f.Code}").Order(StringComparer.Ordinal));
        Assert.Equal(70000L, result.Failures.Single(f => f.Code == "schema.maximum").AttemptedValue);
        Assert.Contains("Did you mean 'port'?", result.Failures.Single(f => f.Code == "schema.unknown-input").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownInput_IgnoredByOptionAndDroppedFromValues()
    {
        var schema = Schema("port:\n  type: number");

        var result = Validate(schema, "port: 80\nextra: 1", ignoreUnknown: true);

        Assert.True(result.IsValid);
        Assert.False(result.Values!.ContainsKey("extra"));
    }

    [Fact]
    public void Validate_DefaultsApplied_IntegersStayIntegers()
    {
        var schema = Schema("port:\n  type: number\n  default: 80\nratio:\n  type: number\n  default: 0.5\ncount:\n  type: integer\n  default: 2.0\nname:\n  type: string\n  default: web\nnodefault:\n  type: string");

        var values = Validate(schema, "{}").Values!;

        Assert.Equal(80L, values["port"]);
        Assert.Equal(0.5, values["ratio"]);
        Assert.Equal(2L, values["count"]);
        Assert.Equal("web", values["name"]);
        Assert.False(values.ContainsKey("nodefault"));
        Assert.Equal("80", Proton.Sdk.Rendering.TemplateRenderer.Default.Render("{{ port }}", "t", Proton.Sdk.Rendering.RenderContext.From(values)));
    }

    [Fact]
    public void Validate_QuotedNumberAndBoolean_AreConvertedToTheirTypes()
    {
        var schema = Schema("port:\n  type: number\nenabled:\n  type: boolean\ncount:\n  type: integer");

        var values = Validate(schema, "port: \"8080\"\nenabled: \"false\"\ncount: \"3\"").Values!;

        Assert.Equal(8080L, values["port"]);
        Assert.Equal(false, values["enabled"]);
        Assert.Equal(3L, values["count"]);
    }

    [Fact]
    public void Validate_NullValue_CountsAsNotGiven()
    {
        var schema = Schema("a:\n  type: string\n  default: d\nb:\n  type: string", "[b]");

        var result = Validate(schema, "a:\nb: ~");

        Assert.Equal("spec.b:schema.required", Assert.Single(result.Failures) is var f ? $"{f.Path}:{f.Code}" : null);
    }

    [Fact]
    public void Validate_RequiredWithDefault_IsNotRequiredToBeGiven()
    {
        var schema = Schema("a:\n  type: string\n  default: d", "[a]");

        Assert.Equal("d", Validate(schema, "{}").Values!["a"]);
    }

    [Fact]
    public void Validate_SecretInput_NeverShowsItsValue()
    {
        var schema = Schema("token:\n  type: string\n  format: password\n  pattern: '^tok-'\n  minLength: 40\nname:\n  type: string");

        var bad = Validate(schema, "token: hunter2-secret\nname: ok");
        var good = Validate(schema, "token: tok-" + new string('x', 40) + "\nname: ok");

        var failures = bad.Failures;
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f =>
        {
            Assert.True(f.IsSecret);
            Assert.Equal(InputValues.Mask, f.AttemptedValue);
            Assert.DoesNotContain("hunter2", f.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", f.ToString(), StringComparison.Ordinal);
        });
        var values = good.Values!;
        Assert.True(values.IsSecret("token"));
        Assert.DoesNotContain("tok-", values.ToString(), StringComparison.Ordinal);
        Assert.Equal(InputValues.Mask, values.Redacted()["token"]);
        Assert.StartsWith("tok-", (string)values["token"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SecretTypeError_HidesValue()
    {
        var schema = Schema("pin:\n  type: number\n  format: password");

        var failure = Assert.Single(Validate(schema, "pin: 'not-a-number-1234'").Failures);

        Assert.Equal("schema.type", failure.Code);
        Assert.DoesNotContain("1234", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CurrentValueOnUpdate_KeepsTheCurrentValue()
    {
        var schema = Schema("port:\n  type: number\nname:\n  type: string");

        var result = Validate(schema, "port: \"${Proton::CURRENT_VAL}\"\nname: web", new Dictionary<string, object?> { ["port"] = 8080L, ["name"] = "old" });

        Assert.True(result.IsValid);
        Assert.Equal(8080L, result.Values!["port"]);
        Assert.Equal("web", result.Values["name"]);
    }

    [Fact]
    public void Validate_CurrentValueOnCreate_IsAnError()
    {
        var schema = Schema("port:\n  type: number");

        var failure = Assert.Single(Validate(schema, "port: \"${Proton::CURRENT_VAL}\"").Failures);

        Assert.Equal(("spec.port", "schema.current-value"), (failure.Path, failure.Code));
    }

    [Fact]
    public void Validate_CurrentValueWithoutACurrentValueForThatInput_IsAnError()
    {
        var schema = Schema("port:\n  type: number");

        var failure = Assert.Single(Validate(schema, "port: \"${Proton::CURRENT_VAL}\"", new Dictionary<string, object?>()).Failures);

        Assert.Equal("schema.current-value", failure.Code);
    }

    [Fact]
    public void Validate_ServiceSpec_PathsNameInstancesAndPipeline()
    {
        var schema = SchemaParser.Parse("""
            schema:
              format:
                openapi: "3.0.0"
              service_input_type: "Svc"
              pipeline_input_type: "Pipe"
              types:
                Svc:
                  type: object
                  properties:
                    port:
                      type: number
                      maximum: 100
                Pipe:
                  type: object
                  properties:
                    dockerfile:
                      type: string
                  required: [dockerfile]
            """).GetSchemaOrThrow();
        var spec = SpecParser.Parse("proton: ServiceSpec\npipeline: {}\ninstances:\n  - name: a\n    environment: e\n    spec:\n      port: 1\n  - name: b\n    environment: e\n    spec:\n      port: 200\n", "svc.yaml").GetSpecOrThrow();

        var result = new SpecValidator(schema).Validate(spec);

        Assert.Equal(["instances[1].spec.port", "pipeline.dockerfile"], result.Failures.Select(f => f.Path).Order(StringComparer.Ordinal));
        var diagnostics = result.ToDiagnostics(spec);
        var port = diagnostics.Single(d => d.Path == "instances[1].spec.port");
        Assert.Equal(("svc.yaml", 11, 13), (port.File, port.Line, port.Column));
        Assert.Equal(1L, result.Instances["a"]["port"]);
        Assert.False(result.Instances.ContainsKey("b"));
    }

    [Fact]
    public void Validate_EnvironmentSpecAgainstServiceSchema_SaysSo()
    {
        var schema = SchemaParser.Parse("schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: S\n  types:\n    S:\n      type: object\n      properties: {}\n").GetSchemaOrThrow();

        var result = new SpecValidator(schema).Validate(SpecParser.Parse("proton: EnvironmentSpec\nspec: {}\n").GetSpecOrThrow());

        Assert.Equal("schema.spec-kind", Assert.Single(result.Failures).Code);
    }

    [Fact]
    public async Task SpecValidator_ManySchemasInParallel_EachGetsItsOwnResult()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() =>
        {
            var schema = Schema($"v{i}:\n  type: number\n  maximum: {i}");
            var ok = new SpecValidator(schema).ValidateInputs(InputKind.Environment, new Dictionary<string, object?> { [$"v{i}"] = (long)i }, "spec");
            var bad = new SpecValidator(schema).ValidateInputs(InputKind.Environment, new Dictionary<string, object?> { [$"v{i}"] = (long)i + 1 }, "spec");
            return (i, ok, bad);
        })));

        Assert.All(results, r =>
        {
            Assert.True(r.ok.IsValid);
            Assert.Equal((long)r.i, r.ok.Values![$"v{r.i}"]);
            Assert.Equal($"spec.v{r.i}", Assert.Single(r.bad.Failures).Path);
        });
    }
}
