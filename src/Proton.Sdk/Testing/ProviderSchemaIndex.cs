using System.Text.Json;
using Proton.Sdk.Policies;

namespace Proton.Sdk.Testing;

/// <summary>What the template tests read from a folder of CloudFormation provider schemas: per type, its required top-level properties.</summary>
internal sealed class ProviderSchemaIndex
{
    private ProviderSchemaIndex(Dictionary<string, ProviderTypeFacts> types) => Types = types;

    /// <summary>The types by name (ordinal).</summary>
    public IReadOnlyDictionary<string, ProviderTypeFacts> Types { get; }

    /// <summary>Reads every <c>*.json</c> provider schema of a folder (its <c>typeName</c> and <c>required</c>).</summary>
    public static ProviderSchemaIndex Load(string folder)
    {
        var types = new Dictionary<string, ProviderTypeFacts>(StringComparer.Ordinal);
        ProviderSchemaFolder.ForEach(folder, (_, name, root) => types.TryAdd(name, new ProviderTypeFacts(Required(root))));
        return new ProviderSchemaIndex(types);
    }

    /// <summary>The names in the schema's top-level <c>required</c> array.</summary>
    private static HashSet<string> Required(JsonElement root)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("required", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() is { } s)
                {
                    set.Add(s);
                }
            }
        }

        return set;
    }
}
