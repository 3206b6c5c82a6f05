using System.Text.Json;

namespace Proton.Sdk.Policies;

/// <summary>Provider schema files in a folder (such as CloudFormation's per-region schema archive, unpacked); each file's <c>typeName</c> names its type.</summary>
public sealed class ProviderSchemaFolderSource : IResourcePermissionSource
{
    private readonly Lazy<Dictionary<string, string>> _index;

    /// <summary>Creates the source.</summary>
    /// <param name="folder">The folder of <c>*.json</c> provider schemas.</param>
    public ProviderSchemaFolderSource(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        _index = new Lazy<Dictionary<string, string>>(() => Index(folder));
    }

    /// <inheritdoc />
    public async ValueTask<ResourceTypePermissions?> GetAsync(string typeName, CancellationToken cancellationToken = default)
        => _index.Value.TryGetValue(typeName, out var file)
            ? ResourceTypePermissions.FromProviderSchema(typeName, await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false))
            : null;

    private static Dictionary<string, string> Index(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new ProtonException(PolicyErrorCodes.NoSchemas, $"{folder}: no such folder of provider schemas.");
        }

        var index = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                using var stream = File.OpenRead(file);
                using var doc = JsonDocument.Parse(stream);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("typeName", out var t) && t.GetString() is { } name)
                {
                    index.TryAdd(name, file);
                }
            }
            catch (JsonException ex)
            {
                throw new ProtonException(PolicyErrorCodes.InvalidSchema, $"{file}: not a JSON provider schema ({ex.Message}).");
            }
        }

        return index;
    }
}
