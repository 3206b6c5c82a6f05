using System.Text.Json;
using Proton.Sdk.Policies;

namespace Proton.Sdk.Testing;

/// <summary>What the template tests read from a folder of CloudFormation provider schemas: per type, its required and create-only top-level properties.</summary>
internal sealed class ProviderSchemaIndex
{
    private ProviderSchemaIndex(Dictionary<string, ProviderTypeFacts> types) => Types = types;

    /// <summary>The types by name (ordinal).</summary>
    public IReadOnlyDictionary<string, ProviderTypeFacts> Types { get; }

    /// <summary>Reads every <c>*.json</c> provider schema of a folder (its <c>typeName</c>, <c>required</c>, <c>createOnlyProperties</c>).</summary>
    public static ProviderSchemaIndex Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new ProtonException(PolicyErrorCodes.NoSchemas, $"{folder}: no such folder of provider schemas.");
        }

        var types = new Dictionary<string, ProviderTypeFacts>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                using var stream = File.OpenRead(file);
                using var doc = JsonDocument.Parse(stream);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("typeName", out var t) || t.GetString() is not { } name)
                {
                    continue;
                }

                types.TryAdd(name, new ProviderTypeFacts(Strings(root, "required", prefix: null), Strings(root, "createOnlyProperties", prefix: "/properties/")));
            }
            catch (JsonException ex)
            {
                throw new ProtonException(PolicyErrorCodes.InvalidSchema, $"{file}: not a JSON provider schema ({ex.Message}).");
            }
        }

        return new ProviderSchemaIndex(types);
    }

    /// <summary>The strings of an array property; with a prefix, only the top-level names of JSON pointers under it (<c>/properties/A/B</c> gives nothing, as a nested property is not a top-level one).</summary>
    private static HashSet<string> Strings(JsonElement root, string property, string? prefix)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (!root.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return set;
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } s)
            {
                continue;
            }

            if (prefix is null)
            {
                set.Add(s);
            }
            else if (s.StartsWith(prefix, StringComparison.Ordinal) && !s[prefix.Length..].Contains('/', StringComparison.Ordinal))
            {
                set.Add(s[prefix.Length..]);
            }
        }

        return set;
    }
}
