using Proton.Sdk.Templates;

namespace Proton.Sdk.Schema;

/// <summary>The outcome of validating a spec file against a schema.</summary>
public sealed record SpecValidationResult
{
    /// <summary>The environment's inputs (EnvironmentSpec).</summary>
    public InputValues? Environment { get; init; }

    /// <summary>Each instance's inputs by name (ServiceSpec).</summary>
    public IReadOnlyDictionary<string, InputValues> Instances { get; init; } = new Dictionary<string, InputValues>();

    /// <summary>The pipeline's inputs (ServiceSpec with a pipeline).</summary>
    public InputValues? Pipeline { get; init; }

    /// <summary>Every failure.</summary>
    public required IReadOnlyList<InputValidationFailure> Failures { get; init; }

    /// <summary>True when there is no failure.</summary>
    public bool IsValid => Failures.Count == 0;

    /// <summary>The failures as diagnostics, located in the spec file where the spec knows the position.</summary>
    /// <param name="spec">The validated spec (its file and positions).</param>
    /// <returns>The diagnostics.</returns>
    public IReadOnlyList<Diagnostic> ToDiagnostics(ProtonSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Failures.Select(f =>
        {
            var at = Locate(spec, f.Path);
            return Diagnostic.Error(f.Code, f.Message, spec.SourceFile, at.Line, at.Column) with { Path = f.Path };
        }).ToList();
    }

    private static SourceLocation Locate(ProtonSpec spec, string path)
    {
        for (var p = path; p.Length > 0;)
        {
            if (spec.Locations.TryGetValue(p, out var loc))
            {
                return loc;
            }

            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut > 0 ? p[..cut] : string.Empty;
        }

        return new SourceLocation(1, 1);
    }
}
