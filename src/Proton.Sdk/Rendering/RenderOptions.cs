namespace Proton.Sdk.Rendering;

/// <summary>Limits a host sets on rendering, with safe defaults.</summary>
public sealed class RenderOptions
{
    /// <summary>Iterations all loops of one render may take together. Default 10,000.</summary>
    public int MaxLoopIterations { get; set; } = 10_000;

    /// <summary>Deepest recursion (native Scriban functions). Default 100.</summary>
    public int MaxRecursion { get; set; } = 100;

    /// <summary>Characters a rendering may produce. Default 1,048,576 (CloudFormation's template body limit is 1 MB).</summary>
    public int MaxOutputChars { get; set; } = 1_048_576;

    /// <summary>Characters a template may have. Default 1,048,576.</summary>
    public int MaxTemplateChars { get; set; } = 1_048_576;

    /// <summary>
    /// Deepest nesting of a Jinja template: block statements (<c>if</c>, <c>for</c>), brackets, literals, arguments and unary
    /// operators count together. Default 100 (jinja2 stops at Python's recursion limit, near 70 nested brackets). Chains that do
    /// not nest (<c>a + b + c</c>, <c>x | f | g</c>, <c>s.lower().upper()</c>, <c>elif</c> branches) have no depth and no limit of
    /// their own beyond <see cref="MaxTemplateChars"/>.
    /// </summary>
    public int MaxNestingDepth { get; set; } = 100;

    /// <summary>
    /// Characters of the longest string an operator, filter or method of a Jinja template may produce (also the longest text
    /// <c>str()</c>, <c>repr</c> and <c>tojson</c> may build). Default 1,048,576, the default output limit.
    /// </summary>
    public int MaxValueChars { get; set; } = 1_048_576;

    /// <summary>Items of the longest list or dict an operator, filter or method of a Jinja template may produce. Default 100,000.</summary>
    public int MaxValueItems { get; set; } = 100_000;

    /// <summary>
    /// Characters and items that all operators, filters and methods of one Jinja render may produce together, so that a long
    /// chain of cheap steps over a big value cannot churn memory and time. Default 67,108,864.
    /// </summary>
    public long MaxProducedSize { get; set; } = 67_108_864;

    /// <summary>Time-out of each regular expression a filter runs. Default 1 second.</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Compiled templates kept in the cache (by engine and content hash). Default 512.</summary>
    public int CacheSize { get; set; } = 512;
}
