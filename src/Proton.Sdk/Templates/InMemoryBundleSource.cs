namespace Proton.Sdk.Templates;

/// <summary>A bundle held in memory: paths (relative, forward slashes) and their text or bytes.</summary>
public sealed class InMemoryBundleSource : ITemplateBundleSource
{
    private readonly IReadOnlyList<BundleFile> _files;

    /// <summary>Creates a source from text files.</summary>
    /// <param name="files">Path to UTF-8 text.</param>
    /// <param name="description">A name for messages.</param>
    public InMemoryBundleSource(IReadOnlyDictionary<string, string> files, string description = "memory")
    {
        ArgumentNullException.ThrowIfNull(files);
        _files = files.Select(kv => new BundleFile(kv.Key, System.Text.Encoding.UTF8.GetBytes(kv.Value))).ToList();
        Description = description;
    }

    /// <summary>Creates a source from files.</summary>
    /// <param name="files">The files.</param>
    /// <param name="description">A name for messages.</param>
    public InMemoryBundleSource(IEnumerable<BundleFile> files, string description = "memory")
    {
        ArgumentNullException.ThrowIfNull(files);
        _files = files.ToList();
        Description = description;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BundleFile>> ReadFilesAsync(BundleOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        long total = 0;
        var entries = 0;
        var result = new List<BundleFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in _files)
        {
            var path = BundlePaths.Normalize(file.Path, Description);
            var limit = options.LimitFor(path);
            if (file.Content.Length > limit)
            {
                throw BundlePaths.Error(BundleErrorCodes.FileTooLarge, $"'{path}' has {file.Content.Length} bytes; the limit is {limit}.", Description);
            }

            BundlePaths.CheckTotals(ref total, ref entries, file.Content.Length, options, Description);
            if (!seen.Add(path))
            {
                throw BundlePaths.Error(BundleErrorCodes.DuplicateEntry, $"'{path}' appears twice.", Description);
            }

            result.Add(file with { Path = path });
        }

        return ValueTask.FromResult<IReadOnlyList<BundleFile>>(BundlePaths.Unwrap(result));
    }
}
