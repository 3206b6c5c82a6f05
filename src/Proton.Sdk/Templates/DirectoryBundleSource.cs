namespace Proton.Sdk.Templates;

/// <summary>A bundle in a folder on disk. Links and special files are refused; <c>.git</c> folders are skipped.</summary>
/// <param name="path">The folder.</param>
public sealed class DirectoryBundleSource(string path) : ITemplateBundleSource
{
    /// <summary>The folder.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <inheritdoc />
    public string Description => Path;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BundleFile>> ReadFilesAsync(BundleOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(Path))
        {
            throw BundlePaths.Error(BundleErrorCodes.NotFound, $"No folder at '{Path}'.", Path);
        }

        var files = new List<BundleFile>();
        long total = 0;
        var entries = 0;
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(Path));
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var info in dir.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var relative = System.IO.Path.GetRelativePath(Path, info.FullName).Replace('\\', '/');
                if (info.LinkTarget is not null || info.Attributes.HasFlag(FileAttributes.ReparsePoint))
                {
                    throw BundlePaths.Error(BundleErrorCodes.SymbolicLink, $"'{relative}' is a link; bundles hold regular files only.", relative);
                }

                if (info is DirectoryInfo sub)
                {
                    if (sub.Name == ".git")
                    {
                        continue;
                    }

                    BundlePaths.CheckTotals(ref total, ref entries, 0, options, Path);
                    pending.Push(sub);
                    continue;
                }

                var file = (FileInfo)info;
                if (!Internal.UnixFileType.IsRegularFile(file.FullName))
                {
                    throw BundlePaths.Error(BundleErrorCodes.SpecialFile, $"'{relative}' is not a regular file.", relative);
                }

                var limit = options.LimitFor(relative);
                if (file.Length > limit)
                {
                    throw BundlePaths.Error(BundleErrorCodes.FileTooLarge, $"'{relative}' has {file.Length} bytes; the limit is {limit}.", relative);
                }

                BundlePaths.CheckTotals(ref total, ref entries, file.Length, options, Path);
                var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
                await using (stream.ConfigureAwait(false))
                {
                    var bytes = await BundlePaths.ReadBoundedAsync(stream, limit, relative, relative, cancellationToken).ConfigureAwait(false);
                    files.Add(new BundleFile(relative, bytes));
                }
            }
        }

        return files;
    }
}
