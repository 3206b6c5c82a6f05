using BenchmarkDotNet.Attributes;
using Proton.Sdk.Rendering;

namespace Proton.Sdk.Benchmarks;

/// <summary>
/// Renders every verified corpus case once per operation (the set bench_jinja.py uses). Throughput in renders/s is
/// cases / mean; compare with bench_jinja.py run on the same machine in the same minute.
/// </summary>
[MemoryDiagnoser]
public class RenderingBenchmarks
{
    private List<(string Template, RenderContext Context)> _cases = [];
    private List<(CompiledTemplate Template, RenderContext Context)> _compiled = [];
    private TemplateRenderer _renderer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _renderer = new TemplateRenderer();
        _cases = BenchmarkData.RenderCases().Select(c => (c.Template, RenderContext.FromJson(c.Context))).ToList();
        _compiled = _cases.Select((c, i) => (_renderer.Compile(c.Template, $"case{i}.yaml"), c.Context)).ToList();
        Console.WriteLine($"// render cases: {_cases.Count}");
    }

    /// <summary>Templates compiled once; each rendered.</summary>
    [Benchmark(Baseline = true)]
    public int CachedRender()
    {
        var total = 0;
        foreach (var (template, context) in _compiled)
        {
            total += _renderer.Render(template, context).Length;
        }

        return total;
    }

    /// <summary>Each template parsed, compiled and rendered from text (no cache).</summary>
    [Benchmark]
    public int ParseAndRender()
    {
        var total = 0;
        foreach (var (template, context) in _cases)
        {
            var renderer = new TemplateRenderer();
            total += renderer.Render(template, "case.yaml", context).Length;
        }

        return total;
    }
}
