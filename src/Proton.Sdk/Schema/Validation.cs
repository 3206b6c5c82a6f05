using System.Collections;
using System.Globalization;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Schema;

/// <summary>One input that failed validation.</summary>
/// <param name="Path">Where: <c>spec.port</c>, <c>instances[1].spec.port</c>, <c>pipeline.dockerfile</c>.</param>
/// <param name="Code">A stable code: <c>schema.required</c>, <c>schema.type</c>, <c>schema.pattern</c>, <c>schema.unknown-input</c>, ...</param>
/// <param name="Message">What is wrong, for a developer.</param>
public sealed record InputValidationFailure(string Path, string Code, string Message)
{
    /// <summary>The value given, or <see cref="InputValues.Mask"/> when the input is secret.</summary>
    public object? AttemptedValue { get; init; }

    /// <summary>True when the input is secret (<c>format: password</c>).</summary>
    public bool IsSecret { get; init; }

    /// <summary>Formats as <c>path: message (code)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Path}: {Message} ({Code})";
}

/// <summary>
/// Validated inputs with defaults applied: an immutable name-to-value map whose values are strings, longs, doubles,
/// booleans and read-only lists. Secret inputs are masked in <see cref="ToString"/> and in <see cref="Redacted"/>.
/// </summary>
public sealed class InputValues : IReadOnlyDictionary<string, object?>
{
    /// <summary>What a secret value is shown as.</summary>
    public const string Mask = "********";

    private readonly Dictionary<string, object?> _values;
    private readonly HashSet<string> _secrets;

    /// <summary>Creates a set of values.</summary>
    /// <param name="values">Names and values.</param>
    /// <param name="secrets">The names whose values are secret.</param>
    public InputValues(IReadOnlyDictionary<string, object?> values, IEnumerable<string>? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, object?>(values, StringComparer.Ordinal);
        _secrets = new HashSet<string>(secrets ?? [], StringComparer.Ordinal);
    }

    /// <summary>No inputs.</summary>
    public static InputValues Empty { get; } = new(new Dictionary<string, object?>());

    /// <summary>The names of secret inputs.</summary>
    public IReadOnlyCollection<string> SecretNames => _secrets;

    /// <inheritdoc />
    public object? this[string key] => _values[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc />
    public IEnumerable<object?> Values => _values.Values;

    /// <inheritdoc />
    public int Count => _values.Count;

    /// <summary>True when the named input is secret.</summary>
    /// <param name="name">The input name.</param>
    /// <returns>Whether it is secret.</returns>
    public bool IsSecret(string name) => _secrets.Contains(name);

    /// <summary>The values with every secret replaced by <see cref="Mask"/>: safe for logs and records.</summary>
    /// <returns>A redacted copy.</returns>
    public IReadOnlyDictionary<string, object?> Redacted()
        => _values.ToDictionary(kv => kv.Key, kv => _secrets.Contains(kv.Key) ? Mask : kv.Value, StringComparer.Ordinal);

    /// <inheritdoc />
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out object? value) => _values.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The inputs as <c>name=value</c> pairs, secrets masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => string.Join(", ", Redacted().Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}"));
}

/// <summary>The outcome of validating one set of inputs.</summary>
/// <param name="Values">The typed values with defaults applied, or null when invalid.</param>
/// <param name="Failures">Every failure, each with its path and code.</param>
public sealed record InputValidationResult(InputValues? Values, IReadOnlyList<InputValidationFailure> Failures)
{
    /// <summary>True when there is no failure.</summary>
    public bool IsValid => Failures.Count == 0;
}

/// <summary>The current inputs of the resources a spec updates, for <c>${Proton::CURRENT_VAL}</c>.</summary>
public sealed record CurrentInputs
{
    /// <summary>The environment's current inputs.</summary>
    public IReadOnlyDictionary<string, object?>? Environment { get; init; }

    /// <summary>Each existing instance's current inputs, by instance name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Instances { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, object?>>();

    /// <summary>The pipeline's current inputs.</summary>
    public IReadOnlyDictionary<string, object?>? Pipeline { get; init; }
}

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

/// <summary>Options for validating inputs.</summary>
public sealed class SpecValidationOptions
{
    /// <summary>When true, inputs the schema does not define are ignored instead of rejected. Default false.</summary>
    public bool IgnoreUnknownInputs { get; set; }
}
