namespace Proton.Sdk.Rendering;

/// <summary>The result of <see cref="ITemplateRenderer.TryCompile"/>: the template, or the diagnostics that stopped it.</summary>
/// <param name="Template">The compiled template, or null when it did not compile.</param>
/// <param name="Diagnostics">Every error and warning, with file, line and column.</param>
public sealed record TemplateCompilation(CompiledTemplate? Template, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when the template compiled.</summary>
    public bool Succeeded => Template is not null;
}
