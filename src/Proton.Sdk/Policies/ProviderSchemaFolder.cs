using System.Text.Json;

namespace Proton.Sdk.Policies;

/// <summary>Reads a folder of CloudFormation provider schemas (<c>*.json</c> with a <c>typeName</c>), in file-name order.</summary>
internal static class ProviderSchemaFolder
{
    /// <summary>Calls <paramref name="visit"/> with each schema's file, type name and root object; files without a <c>typeName</c> are skipped.</summary>
    /// <exception cref="ProtonException"><c>policy.no-schemas</c> when the folder does not exist; <c>policy.invalid-schema</c> naming a file that is not JSON.</exception>
    public static void ForEach(string folder, Action<string, string, JsonElement> visit)
    {
        if (!Directory.Exists(folder))
        {
            throw new ProtonException(PolicyErrorCodes.NoSchemas, $"{folder}: no such folder of provider schemas.");
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                using var stream = File.OpenRead(file);
                using var doc = JsonDocument.Parse(stream);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("typeName", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() is { } name)
                {
                    visit(file, name, doc.RootElement);
                }
            }
            catch (JsonException ex)
            {
                throw new ProtonException(PolicyErrorCodes.InvalidSchema, $"{file}: not a JSON provider schema ({ex.Message}).");
            }
        }
    }
}
