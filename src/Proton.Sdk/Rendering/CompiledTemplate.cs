namespace Proton.Sdk.Rendering;

/// <summary>
/// A parsed template, ready to render many times and from many threads. An <see cref="ITemplateRenderer"/> written
/// outside this package creates its own with the parse tree of its engine as <see cref="State"/>.
/// </summary>
public sealed class CompiledTemplate
{
    /// <summary>Creates a compiled template.</summary>
    /// <param name="fileName">The template's file name, used in error messages.</param>
    /// <param name="engine">The engine's name (<see cref="RenderingEngines"/> or a host's own).</param>
    /// <param name="contentHash">A hash of the template text, used as a cache key (SHA-256 in lowercase hex for the built-in engines).</param>
    /// <param name="state">The engine's parsed form; only the renderer that made it reads it.</param>
    public CompiledTemplate(string fileName, string engine, string contentHash, object? state)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentException.ThrowIfNullOrEmpty(engine);
        ArgumentNullException.ThrowIfNull(contentHash);
        FileName = fileName;
        Engine = engine;
        ContentHash = contentHash;
        State = state;
    }

    /// <summary>The template's file name, used in error messages.</summary>
    public string FileName { get; }

    /// <summary>The engine's name (<see cref="RenderingEngines.Jinja"/>, <see cref="RenderingEngines.Scriban"/> or a host's own).</summary>
    public string Engine { get; }

    /// <summary>A hash of the template text (SHA-256, lowercase hex, for the built-in engines).</summary>
    public string ContentHash { get; }

    /// <summary>The engine's parsed form, opaque to everyone but the renderer that made it.</summary>
    public object? State { get; }
}
