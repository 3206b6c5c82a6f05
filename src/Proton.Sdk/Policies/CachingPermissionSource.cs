using System.Collections.Concurrent;
using System.Text.Json;

namespace Proton.Sdk.Policies;

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
