using System.Text;
using BenchmarkDotNet.Attributes;
using Proton.Sdk.Schema;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Benchmarks;

/// <summary>Validating a 20-input spec against its schema (validators cached per schema), and the cost of a cold start.</summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private ParameterSchema _schema = null!;
    private EnvironmentSpec _spec = null!;
    private SpecValidator _validator = null!;
    private string _schemaText = null!;

    [GlobalSetup]
    public void Setup()
    {
        var schema = new StringBuilder("schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n");
        var spec = new StringBuilder("proton: EnvironmentSpec\nspec:\n");
        for (var i = 0; i < 20; i++)
        {
            switch (i % 4)
            {
                case 0:
                    schema.Append($"        s{i}:\n          type: string\n          pattern: '^[a-z0-9-]+$'\n          minLength: 1\n          maxLength: 63\n");
                    spec.Append($"  s{i}: name-{i}\n");
                    break;
                case 1:
                    schema.Append($"        n{i}:\n          type: number\n          minimum: 0\n          maximum: 65535\n          default: 80\n");
                    spec.Append($"  n{i}: {i * 100}\n");
                    break;
                case 2:
                    schema.Append($"        e{i}:\n          type: string\n          enum: [x-small, small, medium, large]\n");
                    spec.Append($"  e{i}: medium\n");
                    break;
                default:
                    schema.Append($"        b{i}:\n          type: boolean\n          default: false\n");
                    spec.Append($"  b{i}: true\n");
                    break;
            }
        }

        _schemaText = schema.ToString();
        _schema = SchemaParser.Parse(_schemaText).GetSchemaOrThrow();
        _spec = (EnvironmentSpec)SpecParser.Parse(spec.ToString()).GetSpecOrThrow();
        _validator = new SpecValidator(_schema);
        if (!_validator.Validate(_spec).IsValid)
        {
            throw new InvalidOperationException("the benchmark spec must be valid");
        }
    }

    /// <summary>Validate a 20-input spec with the cached validator.</summary>
    [Benchmark(Baseline = true)]
    public bool Validate20Inputs() => _validator.Validate(_spec).IsValid;

    /// <summary>Parse the schema, build its validators and validate (no cache).</summary>
    [Benchmark]
    public bool ParseSchemaAndValidate() => new SpecValidator(SchemaParser.Parse(_schemaText).GetSchemaOrThrow()).Validate(_spec).IsValid;
}
