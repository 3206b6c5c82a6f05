using Proton.Sdk.Rendering.Jinja;

namespace Proton.Sdk.Rendering;

/// <summary>The rendering engines a manifest's <c>rendering_engine</c> can name.</summary>
public static class RenderingEngines
{
    /// <summary>Proton's Jinja dialect, evaluated by Scriban's runtime (what every Proton CloudFormation bundle uses).</summary>
    public const string Jinja = "jinja";

    /// <summary>Native Scriban syntax, the SDK's own engine for new templates.</summary>
    public const string Scriban = "scriban";
}

/// <summary>What went wrong in a render, matching jinja2's exception kinds.</summary>
public enum RenderErrorKind
{
    /// <summary>The template does not parse (jinja2's TemplateSyntaxError).</summary>
    Syntax,

    /// <summary>A value the template uses is not defined (jinja2's UndefinedError under StrictUndefined).</summary>
    Undefined,

    /// <summary>An operation got a value of the wrong type (Python's TypeError).</summary>
    Type,

    /// <summary>An operation got a value it cannot use (Python's ValueError).</summary>
    Value,

    /// <summary>A filter refused a value (for example <c>proton_cfn_sanitize</c>).</summary>
    Filter,

    /// <summary>A limit was hit: loop iterations, recursion, output size, regex time-out.</summary>
    Limit,
}

/// <summary>A render or compile failure with the original template file, line and column.</summary>
public sealed class RenderException : ProtonException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The kind of failure.</param>
    /// <param name="message">What was wrong.</param>
    /// <param name="file">The template file.</param>
    /// <param name="line">1-based line, 0 when unknown.</param>
    /// <param name="column">1-based column, 0 when unknown.</param>
    public RenderException(RenderErrorKind kind, string message, string file, int line, int column)
        : base(RenderErrorCodes.For(kind), $"{file}:{line}:{column}: {message}")
    {
        Kind = kind;
        Detail = message;
        File = file;
        Line = line;
        Column = column;
    }

    /// <summary>The kind of failure.</summary>
    public RenderErrorKind Kind { get; }

    /// <summary>The message without the location.</summary>
    public string Detail { get; }

    /// <summary>The template file.</summary>
    public string File { get; }

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>The failure as a diagnostic.</summary>
    /// <returns>A diagnostic with code <c>render.&lt;kind&gt;</c>.</returns>
    public Diagnostic ToDiagnostic() => Diagnostic.Error(ErrorCode, Detail, File, Line, Column);
}

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

/// <summary>The variables a template sees: Proton's namespaces (<c>environment</c>, <c>service</c>, <c>service_instance</c>, ...).</summary>
public sealed class RenderContext
{
    private RenderContext(IReadOnlyDictionary<string, object?> variables, IReadOnlyCollection<string>? secretValues = null)
    {
        Variables = variables;
        SecretValues = secretValues ?? [];
    }

    /// <summary>The top-level variables, as plain values: strings, longs, doubles, booleans, null, lists and dictionaries.</summary>
    public IReadOnlyDictionary<string, object?> Variables { get; }

    /// <summary>
    /// Values that render errors never show: the values of secret inputs (<c>format: password</c>) of every
    /// <see cref="Schema.InputValues"/> the context was built from, and any added with <see cref="WithSecretValues"/>. A
    /// <see cref="RenderException"/> shows <see cref="Schema.InputValues.Mask"/> in their place.
    /// </summary>
    public IReadOnlyCollection<string> SecretValues { get; }

    /// <summary>Creates a context from values; numbers, JSON elements, dictionaries and sequences are converted once, here.</summary>
    /// <param name="variables">Top-level names and their values; the secret inputs of any <see cref="Schema.InputValues"/> among them become <see cref="SecretValues"/>.</param>
    /// <returns>The context.</returns>
    public static RenderContext From(IReadOnlyDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        CollectSecrets(variables, secrets, 0);
        return new RenderContext((IReadOnlyDictionary<string, object?>)PyValues.Normalize(variables)!, secrets);
    }

    /// <summary>The same variables with more values that render errors must never show.</summary>
    /// <param name="secretValues">The values (empty ones are ignored).</param>
    /// <returns>A new context.</returns>
    public RenderContext WithSecretValues(IEnumerable<string> secretValues)
    {
        ArgumentNullException.ThrowIfNull(secretValues);
        var all = new HashSet<string>(SecretValues, StringComparer.Ordinal);
        all.UnionWith(secretValues.Where(v => !string.IsNullOrEmpty(v)));
        return new RenderContext(Variables, all);
    }

    private static void CollectSecrets(object? value, HashSet<string> secrets, int depth)
    {
        if (depth > 64)
        {
            return;
        }

        switch (value)
        {
            case Schema.InputValues inputs:
                foreach (var name in inputs.SecretNames)
                {
                    if (inputs.TryGetValue(name, out var secret) && Convert.ToString(secret, System.Globalization.CultureInfo.InvariantCulture) is { Length: > 0 } text)
                    {
                        secrets.Add(text);
                    }
                }

                break;
            case IReadOnlyDictionary<string, object?> map:
                foreach (var item in map.Values)
                {
                    CollectSecrets(item, secrets, depth + 1);
                }

                break;
            case System.Collections.IEnumerable items when value is not string:
                foreach (var item in items)
                {
                    CollectSecrets(item, secrets, depth + 1);
                }

                break;
        }
    }

    /// <summary>Creates a context from a JSON object (integers stay integers).</summary>
    /// <param name="json">A JSON object.</param>
    /// <returns>The context.</returns>
    /// <exception cref="ProtonException">The JSON is not an object.</exception>
    public static RenderContext FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json, new System.Text.Json.JsonDocumentOptions { MaxDepth = 64 });
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                throw new ProtonException(RenderErrorCodes.Context, "A render context is a JSON object.");
            }

            return new RenderContext((IReadOnlyDictionary<string, object?>)PyValues.Normalize(doc.RootElement)!);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ProtonException(RenderErrorCodes.Context, $"The render context is not valid JSON: {ex.Message}", ex);
        }
    }
}

/// <summary>Renders Proton IaC templates. Implementations are thread-safe.</summary>
public interface ITemplateRenderer
{
    /// <summary>Parses a template (or returns the cached parse of the same text and engine).</summary>
    /// <param name="source">The template text.</param>
    /// <param name="fileName">The file name for error messages.</param>
    /// <param name="engine"><see cref="RenderingEngines.Jinja"/> or <see cref="RenderingEngines.Scriban"/>.</param>
    /// <returns>The compiled template.</returns>
    /// <exception cref="RenderException">A syntax error, with its line and column.</exception>
    CompiledTemplate Compile(string source, string fileName, string engine = RenderingEngines.Jinja);

    /// <summary>Parses a template without throwing for errors in it: the result holds the template or every diagnostic.</summary>
    /// <param name="source">The template text.</param>
    /// <param name="fileName">The file name for diagnostics.</param>
    /// <param name="engine">The engine's name.</param>
    /// <returns>The compilation.</returns>
    TemplateCompilation TryCompile(string source, string fileName, string engine = RenderingEngines.Jinja)
    {
        try
        {
            return new TemplateCompilation(Compile(source, fileName, engine), []);
        }
        catch (RenderException ex)
        {
            return new TemplateCompilation(null, [ex.ToDiagnostic()]);
        }
    }

    /// <summary>Renders a compiled template.</summary>
    /// <param name="template">The template.</param>
    /// <param name="context">The variables.</param>
    /// <param name="cancellationToken">Cancels a long render.</param>
    /// <returns>The rendered text, exactly.</returns>
    /// <exception cref="RenderException">An undefined value, a type error, a filter refusal or a limit, with its location.</exception>
    string Render(CompiledTemplate template, RenderContext context, CancellationToken cancellationToken = default);
}
