using Proton.Sdk.Rendering.Jinja;

namespace Proton.Sdk.Rendering;

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
