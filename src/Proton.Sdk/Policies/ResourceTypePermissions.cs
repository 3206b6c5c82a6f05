using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proton.Sdk.Policies;

/// <summary>The IAM actions CloudFormation needs per handler of one resource type (its provider schema's <c>handlers</c>).</summary>
/// <param name="TypeName">The resource type.</param>
/// <param name="Handlers">Handler (<c>create</c>, <c>read</c>, <c>update</c>, <c>delete</c>, <c>list</c>) to actions; empty when the schema has no <c>handlers</c>.</param>
public sealed record ResourceTypePermissions(string TypeName, IReadOnlyDictionary<string, IReadOnlyList<string>> Handlers)
{
    /// <summary>True when the provider schema publishes handler permissions.</summary>
    public bool HasHandlers => Handlers.Count > 0;

    /// <summary>Reads the <c>handlers</c> of a provider schema document (DescribeType's <c>Schema</c>).</summary>
    /// <param name="typeName">The type, when the schema does not say.</param>
    /// <param name="schemaJson">The provider schema.</param>
    /// <returns>The permissions.</returns>
    /// <exception cref="ProtonException"><c>policy.invalid-schema</c> when the JSON cannot be read.</exception>
    public static ResourceTypePermissions FromProviderSchema(string typeName, string schemaJson)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(schemaJson);
        }
        catch (JsonException ex)
        {
            throw new ProtonException(PolicyErrorCodes.InvalidSchema, $"The provider schema of {typeName} is not JSON: {ex.Message}");
        }

        var handlers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (root?["handlers"] is JsonObject h)
        {
            foreach (var (name, handler) in h)
            {
                handlers[name] = (handler?["permissions"] as JsonArray ?? []).Select(p => (string?)p).Where(p => !string.IsNullOrEmpty(p)).Select(p => p!).ToList();
            }
        }

        return new ResourceTypePermissions((string?)root?["typeName"] ?? typeName, handlers);
    }
}
