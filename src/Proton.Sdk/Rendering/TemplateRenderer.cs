using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Proton.Sdk.Rendering.Jinja;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Proton.Sdk.Rendering;

/// <summary>
/// The default <see cref="ITemplateRenderer"/>: Proton's Jinja dialect through a front-end that builds Scriban syntax trees,
/// and native Scriban templates, both evaluated by Scriban's runtime. Compiled templates are cached by content hash;
/// Scriban contexts are pooled. Thread-safe.
/// </summary>
public sealed class TemplateRenderer : ITemplateRenderer
{
    private static readonly ScriptObject EmptyBuiltins = new();
    private readonly ConcurrentDictionary<string, CompiledTemplate> _cache = new(StringComparer.Ordinal);
    private readonly JinjaTemplateContext?[] _pool = new JinjaTemplateContext?[Math.Max(4, Environment.ProcessorCount * 2)];

    /// <summary>Creates a renderer with default limits.</summary>
    public TemplateRenderer()
        : this(new RenderOptions())
    {
    }

    /// <summary>Creates a renderer.</summary>
    /// <param name="options">Limits; the renderer keeps this instance.</param>
    public TemplateRenderer(RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The limits in force.</summary>
    public RenderOptions Options { get; }

    /// <summary>A shared renderer with default limits.</summary>
    public static TemplateRenderer Default { get; } = new();

    /// <inheritdoc />
    public CompiledTemplate Compile(string source, string fileName, string engine = RenderingEngines.Jinja)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(engine);
        if (source.Length > Options.MaxTemplateChars)
        {
            throw new RenderException(RenderErrorKind.Limit, $"The template has {source.Length} characters; the limit is {Options.MaxTemplateChars}.", fileName, 0, 0);
        }

        var hash = Hash(source);
        var key = string.Concat(engine, ":", fileName, ":", hash);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var compiled = engine switch
        {
            RenderingEngines.Jinja => CompileJinja(source, fileName, hash, Options.MaxNestingDepth),
            RenderingEngines.Scriban => CompileScriban(source, fileName, hash),
            _ => throw new ArgumentException($"Unknown rendering engine '{engine}'; expected '{RenderingEngines.Jinja}' or '{RenderingEngines.Scriban}'.", nameof(engine)),
        };
        if (_cache.Count >= Options.CacheSize)
        {
            _cache.Clear();
        }

        return _cache.GetOrAdd(key, compiled);
    }

    private static CompiledTemplate CompileJinja(string source, string fileName, string hash, int maxDepth)
    {
        try
        {
            var ast = JinjaParser.Parse(JinjaLexer.Normalize(source), maxDepth);
            var page = JinjaCompiler.Compile(ast, fileName);
            return new CompiledTemplate(fileName, RenderingEngines.Jinja, hash, page);
        }
        catch (JinjaSyntaxException ex)
        {
            throw new RenderException(ex.IsLimit ? RenderErrorKind.Limit : RenderErrorKind.Syntax, ex.Message, fileName, ex.Line, ex.Column);
        }
    }

    private static CompiledTemplate CompileScriban(string source, string fileName, string hash)
    {
        var template = Template.Parse(source, fileName);
        if (template.HasErrors)
        {
            var first = template.Messages.First(m => m.Type == ParserMessageType.Error);
            throw new RenderException(RenderErrorKind.Syntax, first.Message, fileName, first.Span.Start.Line + 1, first.Span.Start.Column + 1);
        }

        return new CompiledTemplate(fileName, RenderingEngines.Scriban, hash, template);
    }

    /// <inheritdoc />
    public string Render(CompiledTemplate template, RenderContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(context);
        using var activity = ProtonDiagnostics.Source.StartActivity("proton.render");
        activity?.SetTag("proton.template.file", template.FileName);
        activity?.SetTag("proton.template.engine", template.Engine);
        ProtonDiagnostics.Renders.Add(1, new KeyValuePair<string, object?>("engine", template.Engine));
        try
        {
            return template.State switch
            {
                ScriptPage page => RenderJinja(template, page, context, cancellationToken),
                Template scriban => RenderScriban(template, scriban, context, cancellationToken),
                _ => throw new ArgumentException($"{template.FileName} was compiled by another renderer (engine '{template.Engine}'); render it with that renderer.", nameof(template)),
            };
        }
        catch (RenderException ex) when (context.SecretValues.Count > 0 && MaskSecrets(ex.Detail, context.SecretValues) is var masked && masked != ex.Detail)
        {
            // An error may quote a value (a subscript that names a missing key, a filter that refuses a value): never a secret.
            throw new RenderException(ex.Kind, masked, ex.File, ex.Line, ex.Column);
        }
    }

    /// <summary>Replaces each secret value, as it is and as Python's repr and JSON would quote it, with <see cref="Schema.InputValues.Mask"/>.</summary>
    private static string MaskSecrets(string message, IReadOnlyCollection<string> secrets)
    {
        foreach (var secret in secrets.OrderByDescending(s => s.Length))
        {
            message = message.Replace(secret, Schema.InputValues.Mask, StringComparison.Ordinal);
            foreach (var quoted in new[] { PyValues.Repr(secret), PyValues.ToJson(secret, null) })
            {
                var inner = quoted[1..^1];
                if (inner.Length > 0)
                {
                    message = message.Replace(inner, Schema.InputValues.Mask, StringComparison.Ordinal);
                }
            }
        }

        return message;
    }

    /// <summary>Compiles (cached) and renders in one call.</summary>
    /// <param name="source">The template text.</param>
    /// <param name="fileName">The file name for messages.</param>
    /// <param name="context">The variables.</param>
    /// <param name="engine">The engine.</param>
    /// <param name="cancellationToken">Cancels a long render.</param>
    /// <returns>The rendered text.</returns>
    /// <exception cref="RenderException">The template is invalid or its render fails.</exception>
    public string Render(string source, string fileName, RenderContext context, string engine = RenderingEngines.Jinja, CancellationToken cancellationToken = default)
        => Render(Compile(source, fileName, engine), context, cancellationToken);

    private string RenderJinja(CompiledTemplate template, ScriptPage page, RenderContext context, CancellationToken cancellationToken)
    {
        var ctx = Rent();
        var healthy = false;
        var maxBuildChars = PyValues.MaxBuildChars;
        try
        {
            PyValues.MaxBuildChars = Options.MaxValueChars;
            ctx.ProducedSize = 0;
            ctx.CancellationToken = cancellationToken;
            ctx.PushGlobal(new ReadOnlyDictionaryScriptObject(context.Variables));
            ctx.Locals.Clear();
            ctx.PushGlobal(ctx.Locals);
            ctx.Buffer.Clear();
            ctx.HasBlocks = false;
            ctx.PushOutput(ctx.Buffer);
            ctx.Evaluate(page);
            if (ctx.Buffer.Overflow is { } overflow)
            {
                throw overflow;
            }

            var output = ctx.Buffer.ToString();
            ctx.Reset();
            healthy = true;
            if (ctx.HasBlocks)
            {
                output = Filters.LayoutBlocks(output, Options.MaxOutputChars);
            }
            CheckOutput(template, output);
            return output;
        }
        catch (JinjaRuntimeException ex)
        {
            throw new RenderException((RenderErrorKind)(int)ex.Kind + 1, ex.OriginalMessage, template.FileName, ex.Span.Start.Line + 1, ex.Span.Start.Column + 1);
        }
        catch (JinjaLimitException ex)
        {
            throw new RenderException(RenderErrorKind.Limit, ex.Message, template.FileName, 0, 0);
        }
        catch (InsufficientExecutionStackException)
        {
            throw new RenderException(RenderErrorKind.Limit, "the template nests too deeply for the renderer's stack", template.FileName, 0, 0);
        }
        catch (ScriptRuntimeException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw Translate(template, ex);
        }
        finally
        {
            PyValues.MaxBuildChars = maxBuildChars;
            if (healthy)
            {
                Return(ctx);
            }
        }
    }

    private JinjaTemplateContext Rent()
    {
        for (var i = 0; i < _pool.Length; i++)
        {
            var ctx = Interlocked.Exchange(ref _pool[i], null);
            if (ctx is not null)
            {
                return ctx;
            }
        }

        return new JinjaTemplateContext(EmptyBuiltins)
        {
            LoopLimit = Options.MaxLoopIterations,
            RecursiveLimit = Options.MaxRecursion,
            LimitToString = Options.MaxOutputChars + 1,
            RegexTimeout = Options.RegexTimeout,
            MaxValueChars = Options.MaxValueChars,
            MaxValueItems = Options.MaxValueItems,
            MaxProducedSize = Options.MaxProducedSize,
            // Fails the render at the write that passes the limit, with its location (Scriban's LimitToString would only
            // stop writing and let the loops run on).
            Buffer = { Limit = Options.MaxOutputChars },
        };
    }

    private void Return(JinjaTemplateContext ctx)
    {
        for (var i = 0; i < _pool.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _pool[i], ctx, null) is null)
            {
                return;
            }
        }
    }

    private string RenderScriban(CompiledTemplate compiled, Template template, RenderContext context, CancellationToken cancellationToken)
    {
        var ctx = new TemplateContext
        {
            AutoIndent = false,
            StrictVariables = true,
            LoopLimit = Options.MaxLoopIterations,
            RecursiveLimit = Options.MaxRecursion,
            LimitToString = Options.MaxOutputChars + 1,
            RegexTimeOut = Options.RegexTimeout,
            CancellationToken = cancellationToken,
            TemplateLoader = null,
            MemberFilter = static _ => false,
        };
        var globals = new ScriptObject();
        foreach (var (name, value) in context.Variables)
        {
            globals[name] = ToScriban(value);
        }

        ctx.PushGlobal(globals);
        try
        {
            var output = template.Render(ctx);
            CheckOutput(compiled, output);
            return output;
        }
        catch (ScriptRuntimeException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw Translate(compiled, ex);
        }
    }

    private static object? ToScriban(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> d => d.Aggregate(new ScriptObject(), (o, kv) =>
        {
            o[kv.Key] = ToScriban(kv.Value);
            return o;
        }),
        IReadOnlyList<object?> l when value is not string => new ScriptArray(l.Select(ToScriban)),
        _ => value,
    };

    private void CheckOutput(CompiledTemplate template, string output)
    {
        if (output.Length > Options.MaxOutputChars)
        {
            throw new RenderException(RenderErrorKind.Limit, $"The rendering is longer than {Options.MaxOutputChars} characters, the output limit.", template.FileName, 0, 0);
        }
    }

    private static RenderException Translate(CompiledTemplate template, ScriptRuntimeException ex)
    {
        var message = ex.OriginalMessage;
        var kind = message.Contains("limit", StringComparison.OrdinalIgnoreCase) ? RenderErrorKind.Limit
            : message.Contains("not found", StringComparison.OrdinalIgnoreCase) ? RenderErrorKind.Undefined
            : RenderErrorKind.Type;
        return new RenderException(kind, message, template.FileName, ex.Span.Start.Line + 1, ex.Span.Start.Column + 1);
    }

    private static string Hash(string source)
    {
        var bytes = Encoding.UTF8.GetBytes(source);
        return Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
    }

    /// <summary>The render context's top-level names as a read-only Scriban store (no copy).</summary>
    private sealed class ReadOnlyDictionaryScriptObject(IReadOnlyDictionary<string, object?> values) : IScriptObject
    {
        public int Count => values.Count;

        public bool IsReadOnly { get => true; set { } }

        public IEnumerable<string> GetMembers() => values.Keys;

        public bool Contains(string member) => values.ContainsKey(member);

        public bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value) => values.TryGetValue(member, out value);

        public bool CanWrite(string member) => false;

        public bool TrySetValue(TemplateContext? context, SourceSpan span, string member, object? value, bool readOnly) => false;

        public bool Remove(string member) => false;

        public void SetReadOnly(string member, bool readOnly)
        {
        }

        public IScriptObject Clone(bool deep) => this;
    }
}
