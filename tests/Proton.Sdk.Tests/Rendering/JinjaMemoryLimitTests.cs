using Proton.Sdk.Rendering;

namespace Proton.Sdk.Tests.Rendering;

/// <summary>Issue #14: every value an operator, filter or method produces is capped (RenderOptions.MaxValueChars and friends).</summary>
public sealed class JinjaMemoryLimitTests
{
    private static readonly string Big = new('b', 600_000);

    private static RenderContext Context() => RenderContext.From(new Dictionary<string, object?> { ["s"] = Big, ["small"] = "abc" });

    /// <summary>Renders on this thread and returns the error and the bytes this thread allocated meanwhile.</summary>
    private static (RenderException Error, long Allocated) Fail(string template, RenderOptions? options = null)
    {
        var renderer = new TemplateRenderer(options ?? new RenderOptions());
        var compiled = renderer.Compile(template, "t.yaml");
        var context = Context();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<RenderException>(() => renderer.Render(compiled, context));
        return (ex, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    public static TheoryData<string, string, int> Templates() => new()
    {
        // The example: 10 million characters, then ten times that, then ten times again.
        { "replace", "{{ ('a' * 1000000) | replace('a', 'aaaaaaaaaa') | replace('a', 'aaaaaaaaaa') }}", 22 },
        { "replace with an empty old value", "{{ s | replace('', s) }}", 8 },
        { "str.replace", "{{ s.replace('b', 'bbbbbbbbbb') }}", 13 },
        { "repetition", "{{ 'a' * 10000000 }}", 8 },
        { "~ chain", "{{ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s }}", 6 },
        { "~ of two", "{% set t = s ~ s %}{{ t }}", 14 },
        { "+", "{{ s + s }}", 6 },
        { "join", "{{ [s, s, s, s, s, s, s, s, s, s] | join }}", 37 },
        { "str.join", "{{ ''.join([s, s, s, s, s, s, s, s, s, s]) }}", 11 },
        { "list repr", "{{ [s, s, s, s, s, s, s, s, s, s] }}", 1 },
        { "tojson", "{{ [s, s, s, s, s, s, s, s, s, s] | tojson }}", 37 },
        { "tojson indent", "{{ [[[1]]] | tojson(indent=100000000) }}", 14 },
        { "indent", "{{ 'a\\nb' | indent(100000000) }}", 13 },
        { "zfill", "{{ small.zfill(100000000) }}", 15 },
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public void Render_ValueLargerThanTheLimit_FailsEarlyWithALocatedLimitError(string construct, string template, int column)
    {
        var (ex, allocated) = Fail(template);

        Assert.Equal(RenderErrorKind.Limit, ex.Kind);
        Assert.Equal(RenderErrorCodes.Limit, ex.ErrorCode);
        Assert.Equal(1, ex.Line);
        Assert.Equal(column, ex.Column);
        Assert.Contains("limit", ex.Detail, StringComparison.Ordinal);

        // Well below what the unbounded operation would have taken (hundreds of MB up to an OutOfMemoryException).
        Assert.True(allocated < 64L * 1024 * 1024, $"{construct}: {allocated / 1024 / 1024} MB allocated");
    }

    [Fact]
    public void Render_LoopThatWritesMoreThanTheOutputLimit_StopsAtTheLimitNotAtTheEnd()
    {
        var (ex, allocated) = Fail("{% for i in range(10000) %}\n{{ s }}{% endfor %}");

        Assert.Equal(RenderErrorKind.Limit, ex.Kind);
        Assert.True(ex.Line == 2, ex.Message);
        Assert.Contains("output limit", ex.Detail, StringComparison.Ordinal);
        Assert.True(allocated < 64L * 1024 * 1024, $"{allocated / 1024 / 1024} MB allocated");
    }

    [Fact]
    public void Render_LongChainOfStepsOverABigValue_StopsAtTheProducedSizeBudget()
    {
        var template = "{{ s" + string.Concat(Enumerable.Repeat("|upper|lower", 500)) + " }}";

        var (ex, _) = Fail(template);

        Assert.Equal(RenderErrorKind.Limit, ex.Kind);
        Assert.Contains("produced more than 67108864", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LimitsAreOptions()
    {
        var options = new RenderOptions { MaxValueChars = 10, MaxValueItems = 3 };
        var renderer = new TemplateRenderer(options);
        var empty = RenderContext.From(new Dictionary<string, object?>());

        Assert.Equal("aaaaaaaaaa", renderer.Render("{{ 'a' * 10 }}", "t.yaml", empty));
        Assert.Equal(RenderErrorKind.Limit, Assert.Throws<RenderException>(() => renderer.Render("{{ 'a' * 11 }}", "t.yaml", empty)).Kind);
        Assert.Equal("[1, 2, 3]", renderer.Render("{{ [1, 2, 3] }}", "t.yaml", empty));
        var ex = Assert.Throws<RenderException>(() => renderer.Render("{{ '1,2,3,4'.split(',') }}", "t.yaml", empty));
        Assert.Equal(RenderErrorKind.Limit, ex.Kind);
        Assert.Contains("4 items", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ContextValueLargerThanTheLimit_PassesThroughUnchanged()
    {
        var renderer = new TemplateRenderer(new RenderOptions { MaxValueChars = 1000 });
        var context = RenderContext.From(new Dictionary<string, object?> { ["s"] = new string('x', 5000) });

        Assert.Equal(5000, renderer.Render("{{ s | default('') }}", "t.yaml", context).Length);
        Assert.Equal("5000", renderer.Render("{{ s | length }}", "t.yaml", context));
    }
}
