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
        var index = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        ProviderSchemaFolder.ForEach(folder, (file, name, _) => index.TryAdd(name, file));
        return index;
    }
}
