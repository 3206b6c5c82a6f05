using System.Security.Cryptography;
using System.Text;
using Proton.Sdk.Rendering;

namespace Proton.Sdk.ExternalImplementations;

/// <summary>
/// A renderer written outside Proton.Sdk for an engine of its own ("upper"): replaces <c>$(name)</c> with the
/// environment's name, upper-cased; for every other engine it delegates to the built-in renderer.
/// </summary>
public sealed class UppercaseRenderer(ITemplateRenderer inner) : ITemplateRenderer
{
    public const string Engine = "upper";

    public CompiledTemplate Compile(string source, string fileName, string engine = RenderingEngines.Jinja)
    {
        if (engine != Engine)
        {
            return inner.Compile(source, fileName, engine);
        }

        var open = source.IndexOf("$(", StringComparison.Ordinal);
        if (open >= 0 && source.IndexOf(')', open) < 0)
        {
            var line = source[..open].Count(c => c == '\n') + 1;
            throw new RenderException(RenderErrorKind.Syntax, "unclosed $(", fileName, line, open - source.LastIndexOf('\n', open));
        }

        return new CompiledTemplate(fileName, Engine, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source))), source);
    }

    public string Render(CompiledTemplate template, RenderContext context, CancellationToken cancellationToken = default)
    {
        if (template.Engine != Engine)
        {
            return inner.Render(template, context, cancellationToken);
        }

        var name = context.Variables.TryGetValue("environment", out var env) && env is IReadOnlyDictionary<string, object?> e ? e["name"] as string : null;
        return ((string)template.State!).Replace("$(name)", name?.ToUpperInvariant(), StringComparison.Ordinal);
    }
}
