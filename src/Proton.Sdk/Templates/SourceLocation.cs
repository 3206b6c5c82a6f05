namespace Proton.Sdk.Templates;

/// <summary>A 1-based line and column in a file.</summary>
/// <param name="Line">The line.</param>
/// <param name="Column">The column.</param>
public readonly record struct SourceLocation(int Line, int Column);
