using Proton.Sdk.Rendering;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Rendering;

public sealed class RendererTests
{
    private static readonly RenderContext Empty = RenderContext.From(new Dictionary<string, object?>());

    private static string Samples => Path.Combine(Corpus.RepoRoot, "samples", "templates");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NativeScribanSample_RendersTheSameCloudFormationAsItsJinjaOriginal(bool insights)
    {
        var jinja = (await TemplateBundleLoader.LoadAsync(Path.Combine(Samples, "vpc-ecs-env", "v1"))).GetBundleOrThrow();
        var scriban = (await TemplateBundleLoader.LoadAsync(Path.Combine(Samples, "vpc-ecs-env-scriban", "v1"))).GetBundleOrThrow();
        var context = ProtonContexts.ForEnvironment(new EnvironmentInfo("dev")
        {
            Inputs = new Dictionary<string, object?>
            {
                ["vpc_cidr"] = "10.0.0.0/16",
                ["subnet_one_cidr"] = "10.0.0.0/24",
                ["subnet_two_cidr"] = "10.0.1.0/24",
                ["container_insights"] = insights,
            },
        });
        var renderer = new TemplateRenderer();

        string Render(TemplateBundle b)
        {
            var part = b.Part(InfrastructurePartKind.Infrastructure)!;
            return renderer.Render(part.TemplateFiles[0].Text, part.TemplateFiles[0].Path, context, part.RenderingEngine);
        }

        Assert.Equal("scriban", scriban.Parts[0].RenderingEngine);
        var expected = Render(jinja);
        Assert.Contains("CidrBlock: '10.0.1.0/24'", expected, StringComparison.Ordinal);
        Assert.Contains(insights ? "Value: enabled" : "Value: disabled", expected, StringComparison.Ordinal);
        Assert.Equal(expected, Render(scriban));
    }

    [Fact]
    public void Compile_SameText_ReturnsCachedTemplate()
    {
        var renderer = new TemplateRenderer();

        var a = renderer.Compile("{{ x }}", "a.yaml");
        var b = renderer.Compile("{{ x }}", "a.yaml");
        var c = renderer.Compile("{{ y }}", "a.yaml");

        Assert.Same(a, b);
        Assert.NotSame(a, c);
        Assert.Equal(64, a.ContentHash.Length);
    }

    [Fact]
    public async Task Render_ConcurrentRendersOfOneTemplate_AllCorrect()
    {
        var renderer = new TemplateRenderer();
        var template = renderer.Compile("{% for i in items %}{{ name }}-{{ i }}{% set x = i %};{% endfor %}{{ name | upper }}", "t.yaml");

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(n => Task.Run(() =>
        {
            var context = RenderContext.From(new Dictionary<string, object?> { ["name"] = $"n{n}", ["items"] = new List<object?> { 1L, 2L, 3L } });
            return (n, Output: renderer.Render(template, context));
        })));

        Assert.All(results, r => Assert.Equal($"n{r.n}-1;n{r.n}-2;n{r.n}-3;N{r.n}", r.Output));
    }

    [Fact]
    public void Render_AfterAFailedRender_ContextIsClean()
    {
        var renderer = new TemplateRenderer();
        Assert.Throws<RenderException>(() => renderer.Render("{% set leaked = 1 %}{% for i in [1] %}{{ missing }}{% endfor %}", "a", Empty));

        Assert.Equal("False", renderer.Render("{{ leaked is defined }}", "b", Empty));
    }

    [Fact]
    public void Render_SetsDoNotLeakBetweenRenders()
    {
        var renderer = new TemplateRenderer();
        renderer.Render("{% set leaked = 1 %}", "a", Empty);

        Assert.Equal("False", renderer.Render("{{ leaked is defined }}", "b", Empty));
    }

    [Fact]
    public void Render_LoopLimit_IsALimitError()
    {
        var renderer = new TemplateRenderer(new RenderOptions { MaxLoopIterations = 100 });

        var ex = Assert.Throws<RenderException>(() => renderer.Render("{% for i in range(50) %}{% for j in range(50) %}x{% endfor %}{% endfor %}", "t.yaml", Empty));

        Assert.Equal(RenderErrorKind.Limit, ex.Kind);
        Assert.Equal("render.limit", ex.ErrorCode);
    }

    [Fact]
    public void Render_OutputLimit_IsALimitErrorNotATruncation()
    {
        var renderer = new TemplateRenderer(new RenderOptions { MaxOutputChars = 1000 });

        var ex = Assert.Throws<RenderException>(() => renderer.Render("{% for i in range(500) %}abcdefghij{% endfor %}", "t.yaml", Empty));
        Assert.Equal(RenderErrorKind.Limit, ex.Kind);

        Assert.Equal(new string('x', 1000), renderer.Render("{{ 'x' * 1000 }}", "ok.yaml", Empty));
    }

    [Fact]
    public void Compile_TemplateOverLimit_IsRefused()
    {
        var renderer = new TemplateRenderer(new RenderOptions { MaxTemplateChars = 10 });

        Assert.Equal(RenderErrorKind.Limit, Assert.Throws<RenderException>(() => renderer.Compile(new string('a', 11), "t")).Kind);
    }

    [Fact]
    public void Render_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var renderer = new TemplateRenderer();

        Assert.ThrowsAny<OperationCanceledException>(() => renderer.Render(renderer.Compile("{% for i in range(10) %}{{ i }}{% endfor %}", "t"), Empty, cts.Token));
    }

    [Fact]
    public void Render_JinjaReachesNoDotNetMembers()
    {
        var context = RenderContext.From(new Dictionary<string, object?> { ["s"] = "text", ["l"] = new List<object?>() });
        var renderer = new TemplateRenderer();

        Assert.Equal(RenderErrorKind.Undefined, Assert.Throws<RenderException>(() => renderer.Render("{{ s.Length }}", "t", context)).Kind);
        Assert.Equal(RenderErrorKind.Undefined, Assert.Throws<RenderException>(() => renderer.Render("{{ l.Count }}", "t", context)).Kind);
        Assert.Equal(RenderErrorKind.Undefined, Assert.Throws<RenderException>(() => renderer.Render("{{ s.GetType() }}", "t", context)).Kind);
        Assert.Equal(RenderErrorKind.Undefined, Assert.Throws<RenderException>(() => renderer.Render("{{ environment }}", "t", context)).Kind);
    }

    [Fact]
    public void Render_ScribanReachesNoDotNetMembersOrFiles()
    {
        var context = RenderContext.From(new Dictionary<string, object?> { ["s"] = "text" });
        var renderer = new TemplateRenderer();

        Assert.Throws<RenderException>(() => renderer.Render("{{ include 'secrets.txt' }}", "t", context, RenderingEngines.Scriban));
        Assert.Throws<RenderException>(() => renderer.Render("{{ missing_variable }}", "t", context, RenderingEngines.Scriban));
        Assert.Equal("4", renderer.Render("{{ s.size }}", "t", context, RenderingEngines.Scriban));
    }

    [Fact]
    public void Compile_ScribanSyntaxError_HasLocation()
    {
        var ex = Assert.Throws<RenderException>(() => new TemplateRenderer().Compile("line\n{{ if }}", "bad.yaml", RenderingEngines.Scriban));

        Assert.Equal(RenderErrorKind.Syntax, ex.Kind);
        Assert.Equal("bad.yaml", ex.File);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void Compile_UnknownEngine_IsAnArgumentError()
    {
        Assert.Throws<ArgumentException>(() => new TemplateRenderer().Compile("x", "t", "handlebars"));
    }

    [Fact]
    public void RenderContext_FromJson_KeepsIntegersAndRejectsNonObjects()
    {
        var context = RenderContext.FromJson("""{"port": 80, "ratio": 0.5, "big": 1e3}""");

        Assert.Equal(80L, context.Variables["port"]);
        Assert.Equal(0.5, context.Variables["ratio"]);
        Assert.Equal(1000.0, context.Variables["big"]);
        Assert.Equal("render.context", Assert.Throws<ProtonException>(() => RenderContext.FromJson("[1]")).ErrorCode);
        Assert.Equal("render.context", Assert.Throws<ProtonException>(() => RenderContext.FromJson("{")).ErrorCode);
    }

    [Fact]
    public void RenderException_CarriesFileLineColumnInMessage()
    {
        var ex = Assert.Throws<RenderException>(() => new TemplateRenderer().Render("a\n  {{ x.y }}", "infra/cfn.yaml", Empty));

        Assert.Equal("render.undefined", ex.ErrorCode);
        Assert.Equal((2, 6), (ex.Line, ex.Column));
        Assert.StartsWith("infra/cfn.yaml:2:6: 'x' is undefined", ex.Message, StringComparison.Ordinal);
        Assert.Equal("infra/cfn.yaml", ex.ToDiagnostic().File);
    }
}
