using System.Collections.Concurrent;
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

/// <summary>Where resource-type permissions come from: CloudFormation's DescribeType, a folder of provider schemas, a cache.</summary>
public interface IResourcePermissionSource
{
    /// <summary>The permissions of a resource type, or null when there is no provider schema for it.</summary>
    /// <param name="typeName">The type, such as <c>AWS::SQS::Queue</c>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The permissions or null.</returns>
    ValueTask<ResourceTypePermissions?> GetAsync(string typeName, CancellationToken cancellationToken = default);
}

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

/// <summary>
/// Caches another source: one lookup per type per process (concurrent callers share it) and, with a folder, on disk
/// across processes (one JSON file per type; a type with no schema is cached too).
/// </summary>
/// <param name="inner">The source to ask.</param>
/// <param name="cacheDirectory">A folder for the disk cache, or null for memory only.</param>
public sealed class CachingPermissionSource(IResourcePermissionSource inner, string? cacheDirectory = null) : IResourcePermissionSource
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ResourceTypePermissions?>>> _memory = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public ValueTask<ResourceTypePermissions?> GetAsync(string typeName, CancellationToken cancellationToken = default)
        => new(_memory.GetOrAdd(typeName, t => new Lazy<Task<ResourceTypePermissions?>>(() => LoadAsync(t, cancellationToken))).Value);

    private async Task<ResourceTypePermissions?> LoadAsync(string typeName, CancellationToken cancellationToken)
    {
        var file = cacheDirectory is null ? null : Path.Combine(cacheDirectory, string.Concat(typeName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')) + ".json");
        if (file is not null && File.Exists(file))
        {
            try
            {
                var cached = JsonSerializer.Deserialize<CacheEntry>(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
                if (cached is not null)
                {
                    return cached.Found ? new ResourceTypePermissions(typeName, cached.Handlers) : null;
                }
            }
            catch (JsonException)
            {
                // A damaged cache entry is looked up again and rewritten.
            }
        }

        var result = await inner.GetAsync(typeName, cancellationToken).ConfigureAwait(false);
        if (file is not null)
        {
            Directory.CreateDirectory(cacheDirectory!);
            var temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(new CacheEntry(result is not null, result?.Handlers.ToDictionary(kv => kv.Key, kv => kv.Value) ?? [])), cancellationToken).ConfigureAwait(false);
            File.Move(temp, file, overwrite: true);
        }

        return result;
    }

    private sealed record CacheEntry(bool Found, Dictionary<string, IReadOnlyList<string>> Handlers);
}
