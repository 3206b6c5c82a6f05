namespace Proton.Sdk.Rendering;

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
