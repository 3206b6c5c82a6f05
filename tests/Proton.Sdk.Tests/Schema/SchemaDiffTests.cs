using Proton.Sdk.Schema;

namespace Proton.Sdk.Tests.Schema;

public sealed class SchemaDiffTests
{
    private static ParameterSchema Service(string properties, string required = "[]", string? pipeline = null)
    {
        var pipelineType = pipeline is null ? string.Empty : "\n  pipeline_input_type: P";
        var pipelineDef = pipeline is null ? string.Empty : $"\n    P:\n      type: object\n      properties:\n{Indent(pipeline, 8)}";
        return SchemaParser.Parse($"schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: S{pipelineType}\n  types:\n    S:\n      type: object\n      properties:\n{Indent(properties, 8)}\n      required: {required}{pipelineDef}\n").GetSchemaOrThrow();
    }

    private static string Indent(string text, int n) => string.Join("\n", text.Split('\n').Select(l => new string(' ', n) + l));

    [Theory]
    // breaking
    [InlineData("a:\n  type: string", "b:\n  type: string", "[]", "[]", "input-removed", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: string", "a:\n  type: number", "[]", "[]", "type-changed", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: number", "a:\n  type: integer", "[]", "[]", "type-changed", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: string", "a:\n  type: string\nb:\n  type: string", "[]", "[b]", "required-input-added", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: string\n  default: x", "a:\n  type: string", "[a]", "[a]", "default-removed", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: string", "a:\n  type: string", "[]", "[a]", "became-required", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: string\n  enum: [x, y]", "a:\n  type: string\n  enum: [x]", "[]", "[]", "enum-value-removed", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: string", "a:\n  type: string\n  enum: [x]", "[]", "[]", "enum-added", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: string\n  pattern: '^a'", "a:\n  type: string\n  pattern: '^b'", "[]", "[]", "pattern-changed", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: string", "a:\n  type: string\n  pattern: '^b'", "[]", "[]", "pattern-added", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: number\n  minimum: 1", "a:\n  type: number\n  minimum: 2", "[]", "[]", "minimum-tightened", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: number\n  minimum: 1", "a:\n  type: number\n  minimum: 1\n  exclusiveMinimum: true", "[]", "[]", "minimum-tightened", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: number\n  maximum: 9", "a:\n  type: number\n  maximum: 8", "[]", "[]", "maximum-tightened", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: number", "a:\n  type: number\n  maximum: 8", "[]", "[]", "maximum-added", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: string\n  minLength: 1", "a:\n  type: string\n  minLength: 2", "[]", "[]", "minlength-tightened", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: string\n  maxLength: 9", "a:\n  type: string\n  maxLength: 8", "[]", "[]", "maxlength-tightened", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: array\n  items:\n    type: string\n  minItems: 1", "a:\n  type: array\n  items:\n    type: string\n  minItems: 2", "[]", "[]", "minitems-tightened", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: array\n  items:\n    type: string\n  maxItems: 2", "a:\n  type: array\n  items:\n    type: string\n  maxItems: 1", "[]", "[]", "maxitems-tightened", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: array\n  items:\n    type: string", "a:\n  type: array\n  items:\n    type: string\n  uniqueItems: true", "[]", "[]", "unique-items-added", ChangeImpact.Breaking)]
    [InlineData("a:\n  type: array\n  items:\n    type: string", "a:\n  type: array\n  items:\n    type: number", "[]", "[]", "items-type-changed", ChangeImpact.Breaking)]
    // additive
    [InlineData("a:\n  type: string", "a:\n  type: string\nb:\n  type: string", "[]", "[]", "input-added", ChangeImpact.Additive)]
    [InlineData("a:\n  type: string", "a:\n  type: string\nb:\n  type: string\n  default: x", "[]", "[b]", "input-added", ChangeImpact.Additive)]
    [InlineData("a:\n  type: string", "a:\n  type: string", "[a]", "[]", "became-optional", ChangeImpact.Additive)]
    [InlineData("a:\n  type: string\n  enum: [x]", "a:\n  type: string\n  enum: [x, y]", "[]", "[]", "enum-value-added", ChangeImpact.Additive)]
    [InlineData("a:\n  type: string\n  enum: [x]", "a:\n  type: string", "[]", "[]", "enum-removed", ChangeImpact.Additive)]
    [InlineData("a:\n  type: string\n  pattern: '^a'", "a:\n  type: string", "[]", "[]", "pattern-removed", ChangeImpact.Additive)]
    [InlineData("a:\n  type: number\n  minimum: 2", "a:\n  type: number\n  minimum: 1", "[]", "[]", "minimum-relaxed", ChangeImpact.Additive)]
    [InlineData("a:\n  type: number\n  maximum: 8", "a:\n  type: number\n  maximum: 9", "[]", "[]", "maximum-relaxed", ChangeImpact.Additive)]
    [InlineData("a:\n  type: number\n  maximum: 8", "a:\n  type: number", "[]", "[]", "maximum-removed", ChangeImpact.Additive)]
    [InlineData("a:\n  type: string\n  maxLength: 8", "a:\n  type: string\n  maxLength: 9", "[]", "[]", "maxlength-relaxed", ChangeImpact.Additive)]
    [InlineData("a:\n  type: integer", "a:\n  type: number", "[]", "[]", "type-relaxed", ChangeImpact.Additive)]
    [InlineData("a:\n  type: string\n  default: x", "a:\n  type: string\n  default: y", "[]", "[]", "default-changed", ChangeImpact.Additive)]
    [InlineData("a:\n  type: string", "a:\n  type: string\n  default: y", "[]", "[]", "default-added", ChangeImpact.Additive)]
    // none
    [InlineData("a:\n  type: string\n  title: A", "a:\n  type: string\n  title: B", "[]", "[]", "title-changed", ChangeImpact.None)]
    [InlineData("a:\n  type: string\n  description: A", "a:\n  type: string\n  description: B", "[]", "[]", "description-changed", ChangeImpact.None)]
    [InlineData("a:\n  type: string\n  example: A", "a:\n  type: string\n  example: B", "[]", "[]", "example-changed", ChangeImpact.None)]
    public void Compare_ClassifiesEachRule(string before, string after, string requiredBefore, string requiredAfter, string code, ChangeImpact impact)
    {
        var diff = SchemaDiff.Compare(Service(before, requiredBefore), Service(after, requiredAfter));

        var change = Assert.Single(diff.Changes, c => c.Code == code);
        Assert.Equal(impact, change.Impact);
        Assert.StartsWith("service.", change.Path, StringComparison.Ordinal);
        Assert.NotEmpty(change.Reason);
        var expectedBump = diff.Changes.Max(c => c.Impact) switch
        {
            ChangeImpact.Breaking => VersionBump.Major,
            ChangeImpact.Additive => VersionBump.Minor,
            _ => VersionBump.Patch,
        };
        Assert.Equal(expectedBump, diff.RequiredBump);
        Assert.Equal(impact switch { ChangeImpact.Breaking => VersionBump.Major, ChangeImpact.Additive => VersionBump.Minor, _ => VersionBump.Patch }, diff.RequiredBump);
    }

    [Fact]
    public void Compare_Identical_NeedsOnlyAPatch()
    {
        var a = Service("a:\n  type: string\n  default: x", "[a]");

        var diff = SchemaDiff.Compare(a, Service("a:\n  type: string\n  default: x", "[a]"));

        Assert.Empty(diff.Changes);
        Assert.Equal(VersionBump.Patch, diff.RequiredBump);
    }

    [Fact]
    public void Compare_PipelineInputTypeAddedOrRemoved_IsBreaking()
    {
        var without = Service("a:\n  type: string");
        var with = Service("a:\n  type: string", pipeline: "d:\n  type: string");

        Assert.Equal("input-type-added", Assert.Single(SchemaDiff.Compare(without, with).Changes).Code);
        Assert.Equal("input-type-removed", Assert.Single(SchemaDiff.Compare(with, without).Changes).Code);
        Assert.Equal(VersionBump.Major, SchemaDiff.Compare(with, without).RequiredBump);
    }

    [Fact]
    public void Compare_PipelineInputChanges_ArePathedUnderPipeline()
    {
        var diff = SchemaDiff.Compare(Service("a:\n  type: string", pipeline: "d:\n  type: string"), Service("a:\n  type: string", pipeline: "e:\n  type: string"));

        Assert.Equal(["pipeline.d:input-removed", "pipeline.e:input-added"], diff.Changes.Select(c => $"{c.Path}:{c.Code}"));
    }

    [Fact]
    public void Compare_MixedChanges_TakeTheLargestBumpAndListBreakingOnes()
    {
        var diff = SchemaDiff.Compare(
            Service("a:\n  type: string\nb:\n  type: number\n  maximum: 10"),
            Service("a:\n  type: string\n  title: new\nb:\n  type: number\n  maximum: 5\nc:\n  type: string"));

        Assert.Equal(VersionBump.Major, diff.RequiredBump);
        Assert.Equal("maximum-tightened", Assert.Single(diff.Breaking).Code);
        Assert.Equal(3, diff.Changes.Count);
    }
}
