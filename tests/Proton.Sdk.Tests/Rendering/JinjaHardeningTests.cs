using System.Text;
using Proton.Sdk.Rendering;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Tests.Rendering;

/// <summary>
/// Issue #14: no template crashes, hangs or exhausts the host. Each construct runs at 100,000 in this process: before the fix a
/// stack overflow killed the test host (exit 134), so a passing run is the proof.
/// </summary>
public sealed class JinjaHardeningTests
{
    private const int N = 100_000;

    private static readonly RenderContext Empty = RenderContext.From(new Dictionary<string, object?>());

    // Room for the longest test template; every other limit keeps its default.
    private static TemplateRenderer Renderer() => new(new RenderOptions { MaxTemplateChars = 4_000_000 });

    private static string Repeat(string text, int times) => new StringBuilder(text.Length * times).Insert(0, text, times).ToString();

    private static void AssertLimit(RenderException ex, int line = 1)
    {
        Assert.Equal(RenderErrorKind.Limit, ex.Kind);
        Assert.Equal(RenderErrorCodes.Limit, ex.ErrorCode);
        Assert.Equal("t.yaml", ex.File);
        Assert.Equal(line, ex.Line);
        Assert.True(ex.Column > 0, $"column {ex.Column}");
    }

    public static TheoryData<string, string> NestedConstructs() => new()
    {
        { "parentheses", "{{ " + Repeat("(", N) + "1" + Repeat(")", N) + " }}" },
        { "list literals", "{{ " + Repeat("[", N) + Repeat("]", N) + " }}" },
        { "dict literals", "{{ " + Repeat("{'a': ", N) + "1" + Repeat("}", N) + " }}" },
        { "not", "{{ " + Repeat("not ", N) + "true }}" },
        { "unary minus", "{{ " + Repeat("-", N) + "1 }}" },
        { "filter arguments", "{{ " + Repeat("x|default(", N / 2) + "1" + Repeat(")", N / 2) + " }}" },
        { "for", Repeat("{% for x in [1] %}", N) + Repeat("{% endfor %}", N) },
        { "if", Repeat("{% if true %}", N) + Repeat("{% endif %}", N) },
        { "if inside for", Repeat("{% for x in [1] %}{% if x %}", N / 2) + Repeat("{% endif %}{% endfor %}", N / 2) },
        { "inline if", "{{ " + Repeat("1 if false else ", N) + "2 }}" },
        { "subscripts", "{{ x" + Repeat("[x", N) + Repeat("]", N) + " }}" },
    };

    [Theory]
    [MemberData(nameof(NestedConstructs))]
    public void Compile_NestingOf100000_FailsWithALocatedLimitError(string construct, string template)
    {
        var ex = Assert.Throws<RenderException>(() => Renderer().Compile(template, "t.yaml"));

        AssertLimit(ex);
        Assert.Contains("nesting limit", ex.Detail, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(construct));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(5_000)]
    [InlineData(N)]
    public void Render_WithoutANestingBudget_TheStackGuardStillStopsDeepTemplates(int depth)
    {
        // The last line of defence: with the budget switched off, parser, compiler and runtime check the stack themselves.
        var renderer = new TemplateRenderer(new RenderOptions { MaxTemplateChars = 4_000_000, MaxNestingDepth = int.MaxValue });
        var templates = new[]
        {
            "{{ " + Repeat("[", depth) + Repeat("]", depth) + " | length }}",
            "{{ " + Repeat("not ", depth) + "true }}",
            Repeat("{% if true %}", depth) + "x" + Repeat("{% endif %}", depth),
            Repeat("{% for i in [1] %}", depth) + "x" + Repeat("{% endfor %}", depth),
        };

        foreach (var template in templates)
        {
            try
            {
                Assert.NotEmpty(renderer.Render(template, "t.yaml", Empty));
            }
            catch (RenderException ex)
            {
                Assert.Equal(RenderErrorKind.Limit, ex.Kind);
                Assert.Contains("stack", ex.Detail, StringComparison.Ordinal);
            }
        }

        Assert.Throws<RenderException>(() => renderer.Compile("{{ " + Repeat("[", N) + Repeat("]", N) + " }}", "t.yaml"));
    }

    [Fact]
    public void Compile_NestingWithinTheBudget_Renders()
    {
        var renderer = new TemplateRenderer(new RenderOptions { MaxNestingDepth = 40 });

        Assert.Equal("1", renderer.Render("{{ " + Repeat("(", 30) + "1" + Repeat(")", 30) + " }}", "t.yaml", Empty));
        var ex = Assert.Throws<RenderException>(() => renderer.Compile("{{ " + Repeat("(", 50) + "1" + Repeat(")", 50) + " }}", "t.yaml"));
        AssertLimit(ex);
    }

    [Fact]
    public void Compile_NestingOnALaterLine_ErrorNamesThatLine()
    {
        var ex = Assert.Throws<RenderException>(() => Renderer().Compile("a\nb\n{{ " + Repeat("[", 500) + Repeat("]", 500) + " }}", "t.yaml"));

        AssertLimit(ex, line: 3);
    }

    public static TheoryData<string, string, string> FlatChains() => new()
    {
        { "+", "{{ 1" + Repeat(" + 1", N) + " }}", (N + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        { "- and +", "{{ 0" + Repeat(" + 2 - 1", N) + " }}", N.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        { "*", "{{ 1" + Repeat(" * 1", N) + " }}", "1" },
        { "and", "{{ true" + Repeat(" and true", N) + " }}", "True" },
        { "or", "{{ false" + Repeat(" or false", N) + " or 7 }}", "7" },
        { "~", "{{ ('a'" + Repeat(" ~ 'a'", N) + ") | length }}", (N + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        { "<=", "{{ 1" + Repeat(" <= 1", N) + " }}", "True" },
        { "<", "{{ 0" + string.Concat(Enumerable.Range(1, N).Select(i => FormattableString.Invariant($" < {i}"))) + " }}", "True" },
        { "in", "{{ 'a'" + Repeat(" in 'a'", N) + " }}", "True" },
        { "==", "{{ 1" + Repeat(" == 1", N) + " }}", "True" },
        { "|upper", "{{ 'a'" + Repeat("|upper", N) + " }}", "A" },
        { "|lower|upper with arguments", "{{ 'ab'" + Repeat("|replace('a', 'a')|upper", N / 2) + " }}", "AB" },
        { ".upper()", "{{ 'a'" + Repeat(".upper()", N) + " }}", "A" },
        { ".strip()[0]", "{{ 'ab'" + Repeat(".strip()[:]", N / 2) + "[0] }}", "a" },
        { "is tests", "{{ (1 is number)" + Repeat("|string is string", N / 2) + " }}", "True" },
        { "elif", "{% if false %}no" + Repeat("{% elif false %}no", N) + "{% else %}yes{% endif %}", "yes" },
        { "elif, last taken", "{% if false %}no" + Repeat("{% elif false %}no", N) + "{% elif true %}yes{% endif %}", "yes" },
    };

    [Theory]
    [MemberData(nameof(FlatChains))]
    public void Render_FlatChainOf100000_RendersWithoutRecursion(string construct, string template, string expected)
    {
        Assert.Equal(expected, Renderer().Render(template, "t.yaml", Empty));
        Assert.False(string.IsNullOrEmpty(construct));
    }

    [Theory]
    [InlineData("{{ 1 + 'a' + 2 }}", "unsupported operand type(s) for +: 'int' and 'str'", 6)]
    [InlineData("{{ 1 + 2 + 'a' }}", "unsupported operand type(s) for +: 'int' and 'str'", 10)]
    [InlineData("{{ 'a' ~ 'b' ~ missing }}", "'missing' is undefined", 16)]
    [InlineData("{{ 'a' ~ 'b' ~ [1] ~ {}.x }}", "'dict object' has no attribute 'x'", 25)]
    [InlineData("{{ 'a' | upper | nope(1) }}", "", 0)]
    public void Render_ChainErrors_KeepTheLocationOfTheirStep(string template, string message, int column)
    {
        var ex = Assert.Throws<RenderException>(() => new TemplateRenderer().Render(template, "t.yaml", Empty));

        if (column == 0)
        {
            Assert.Equal(RenderErrorKind.Syntax, ex.Kind);
            Assert.Equal("No filter named 'nope'.", ex.Detail);
            return;
        }

        Assert.Equal(message, ex.Detail);
        Assert.Equal(column, ex.Column);
    }

    [Fact]
    public void Render_ChainedComparison_StopsAtTheFirstFalseAndEvaluatesOperandsOnce()
    {
        var renderer = new TemplateRenderer();

        Assert.Equal("False", renderer.Render("{{ 1 < 3 < 2 < missing }}", "t.yaml", Empty));
        Assert.Equal("True", renderer.Render("{{ 1 < 2 < 3 != 4 }}", "t.yaml", Empty));
        Assert.Equal("False", renderer.Render("{{ false and missing and missing }}", "t.yaml", Empty));
    }

    [Fact]
    public async Task Register_BundleWithAHostileTemplate_IsRefusedWithALocatedLimitError()
    {
        var registry = new TemplateRegistry(new InMemoryProtonStore());
        await registry.CreateTemplateAsync("env", TemplateKind.Environment);
        var files = new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        name:\n          type: string\n",
            ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["infrastructure/cloudformation.yaml"] = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Name: '{{ " + Repeat("(", N) + "1" + Repeat(")", N) + " }}'\n",
        };

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(async () => await registry.RegisterVersionAsync("env", new InMemoryBundleSource(files)));

        var d = Assert.Single(ex.Diagnostics);
        Assert.Equal((RenderErrorCodes.Limit, "infrastructure/cloudformation.yaml", 4), (d.Code, d.File, d.Line));
    }
}
