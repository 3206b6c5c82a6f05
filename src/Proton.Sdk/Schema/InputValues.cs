using System.Collections;
using System.Globalization;

namespace Proton.Sdk.Schema;

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
