using System.Diagnostics;
using System.Text;
using Proton.Sdk.Schema;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Schema;

/// <summary>
/// Issue #14: a catastrophic <c>pattern</c> costs one time-out per call, not one per value (before, 1,000 enum values or
/// defaults took 1,000 seconds). Each test gives up after 30 s so that a regression fails instead of hanging the run.
/// </summary>
public sealed class PatternBudgetTests
{
    private const string Catastrophic = "^(a+)+$";
    private static readonly string Evil = new string('a', 30) + "!";
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(30);

    private static async Task<(T Result, TimeSpan Elapsed)> TimedAsync<T>(Func<T> work)
    {
        var watch = Stopwatch.StartNew();
        var result = await Task.Run(work).WaitAsync(GiveUp);
        return (result, watch.Elapsed);
    }

    [Fact]
    public async Task Parse_CatastrophicPatternWith1000EnumValues_RefusedAtThePatternWithinSeconds()
    {
        var values = string.Join(", ", Enumerable.Repeat(Evil, 1000));
        var text = TestSchemas.Environment($"name:\n  type: string\n  pattern: '{Catastrophic}'\n  enum: [{values}]");

        var (result, elapsed) = await TimedAsync(() => SchemaParser.Parse(text, "schema.yaml"));

        Assert.True(elapsed < TimeSpan.FromSeconds(6), $"took {elapsed}");
        var error = Assert.Single(result.Diagnostics, d => d.Code == SchemaErrorCodes.PatternTimeout);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("schema.yaml", error.File);
        Assert.Equal(11, error.Line);
        Assert.Contains("'pattern' of", error.Message, StringComparison.Ordinal);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Parse_DefaultsAgainstDistinctCatastrophicPatterns_StopsAtTheBudget()
    {
        // 300 distinct patterns (the schema size limit allows no more): remembering one time-out does not help, the
        // call's total budget does. Before, this took 300 seconds.
        var properties = new StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            properties.Append(FormattableString.Invariant($"p{i}: {{type: string, pattern: '^(a+)+x{{0,{i}}}$', default: {Evil}}}\n"));
        }

        var (result, elapsed) = await TimedAsync(() => SchemaParser.Parse(TestSchemas.Environment(properties.ToString().TrimEnd()), "schema.yaml"));

        Assert.True(elapsed < TimeSpan.FromSeconds(6), $"took {elapsed}");
        var errors = result.Diagnostics.Where(d => d.Code == SchemaErrorCodes.PatternTimeout).ToList();
        Assert.Equal(300, errors.Count);
        Assert.All(errors, e => Assert.True(e.Line >= 9 && e.Column > 0, $"{e.Line}:{e.Column}"));
        Assert.Contains(errors, e => e.Message.Contains("time budget", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_1000InstancesAgainstCatastrophicPatterns_FinishesWithinSecondsAndReportsEveryValue()
    {
        var schema = SchemaParser.Parse($$"""
            schema:
              format:
                openapi: "3.0.0"
              service_input_type: "SvcInput"
              types:
                SvcInput:
                  type: object
                  properties:
                    a: {type: string, pattern: '{{Catastrophic}}'}
                    b: {type: string, pattern: '^(a+)+b?$'}
                    c: {type: string, pattern: '^(a+)+c?$'}
                    d: {type: string, pattern: '^(a+)+d?$'}
            """, "schema.yaml").GetSchemaOrThrow();
        var spec = new ServiceSpec
        {
            Instances = Enumerable.Range(0, 1000)
                .Select(i => new ServiceInstanceSpec($"i{i}", "dev", new Dictionary<string, object?> { ["a"] = Evil, ["b"] = Evil, ["c"] = Evil, ["d"] = Evil }))
                .ToList(),
        };

        var (result, elapsed) = await TimedAsync(() => new SpecValidator(schema).Validate(spec));

        Assert.True(elapsed < TimeSpan.FromSeconds(6), $"took {elapsed}");
        Assert.Equal(4000, result.Failures.Count(f => f.Code == SchemaErrorCodes.PatternTimeout));
        Assert.Contains(result.Failures, f => f.Path == "instances[0].spec.a" && f.Message.Contains("timed out after 1 s", StringComparison.Ordinal));
        Assert.Contains(result.Failures, f => f.Path == "instances[999].spec.a" && f.Message.Contains("not tried again", StringComparison.Ordinal));
        Assert.Contains(result.Failures, f => f.Message.Contains("time budget of 2 s", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_FastPatterns_StillMatchEveryValue()
    {
        var schema = SchemaParser.Parse(TestSchemas.Environment("name:\n  type: string\n  pattern: '^[a-z]+$'"), "schema.yaml").GetSchemaOrThrow();
        var validator = new SpecValidator(schema);

        Assert.NotNull(validator.ValidateInputs(InputKind.Environment, new Dictionary<string, object?> { ["name"] = "abc" }, "spec").Values);
        var failure = Assert.Single(validator.ValidateInputs(InputKind.Environment, new Dictionary<string, object?> { ["name"] = "ABC" }, "spec").Failures);
        Assert.Equal("schema.pattern", failure.Code);
    }

}
