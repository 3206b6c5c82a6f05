using System.Formats.Tar;
using System.IO.Compression;

namespace Proton.Sdk.Templates;

/// <summary>Where a bundle's files come from: a folder, a Proton-style <c>.tar.gz</c>, memory, or (in Proton.Sdk.Aws) S3.</summary>
public interface ITemplateBundleSource
{
    /// <summary>A short description for messages, such as the folder or archive path.</summary>
    string Description { get; }

    /// <summary>Reads every file, enforcing <paramref name="options"/> while reading.</summary>
    /// <param name="options">The limits.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The files, with paths relative to the bundle root.</returns>
    /// <exception cref="ProtonValidationException">The source is hostile or too large; the error code says which rule.</exception>
    ValueTask<IReadOnlyList<BundleFile>> ReadFilesAsync(BundleOptions options, CancellationToken cancellationToken = default);
}

/// <summary>Error codes raised while reading bundle sources.</summary>
public static class BundleErrorCodes
{
    /// <summary>An entry has an absolute path.</summary>
    public const string AbsolutePath = "bundle.absolute-path";

    /// <summary>An entry's path climbs out of the bundle with <c>..</c>.</summary>
    public const string PathTraversal = "bundle.path-traversal";

    /// <summary>An entry is a symbolic link.</summary>
    public const string SymbolicLink = "bundle.symbolic-link";

    /// <summary>An entry is a hard link.</summary>
    public const string HardLink = "bundle.hard-link";

    /// <summary>An entry is a device file, FIFO or other special file.</summary>
    public const string SpecialFile = "bundle.special-file";

    /// <summary>More entries than <see cref="BundleOptions.MaxEntries"/>.</summary>
    public const string TooManyEntries = "bundle.too-many-entries";

    /// <summary>More bytes than <see cref="BundleOptions.MaxBundleBytes"/> or <see cref="BundleOptions.MaxUncompressedBytes"/>.</summary>
    public const string TooLarge = "bundle.too-large";

    /// <summary>One file exceeds its size limit.</summary>
    public const string FileTooLarge = "bundle.file-too-large";

    /// <summary>The archive is not a valid gzip-compressed tar.</summary>
    public const string InvalidArchive = "bundle.invalid-archive";

    /// <summary>The source does not exist.</summary>
    public const string NotFound = "bundle.not-found";

    /// <summary>Two entries have the same path.</summary>
    public const string DuplicateEntry = "bundle.duplicate-entry";

    /// <summary>The layout is not a Proton bundle.</summary>
    public const string Layout = "bundle.layout";

    /// <summary>A file the bundle reads as text (schema, manifest, template, registration file) is not valid UTF-8; the diagnostic gives the line and column of the first invalid byte.</summary>
    public const string InvalidEncoding = "bundle.invalid-encoding";
}

/// <summary>Helpers shared by the bundle sources.</summary>
internal static class BundlePaths
{
    public static ProtonValidationException Error(string code, string message, string? file = null)
        => new(code, [Diagnostic.Error(code, message, file)]);

    /// <summary>Normalizes an archive or folder entry name; refuses absolute and climbing paths.</summary>
    public static string Normalize(string raw, string source)
    {
        var path = raw.Replace('\\', '/');
        if (path.StartsWith('/') || (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0])))
        {
            throw Error(BundleErrorCodes.AbsolutePath, $"Entry '{raw}' has an absolute path; bundles hold relative paths only.", source);
        }

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                throw Error(BundleErrorCodes.PathTraversal, $"Entry '{raw}' climbs out of the bundle with '..'.", source);
            }

            if (segment.Any(char.IsControl))
            {
                throw Error(BundleErrorCodes.PathTraversal, $"Entry '{raw}' has control characters in its name.", source);
            }

            segments.Add(segment);
        }

        return string.Join('/', segments);
    }

    /// <summary>Drops a single wrapping top folder when the bundle's own layout is below it.</summary>
    public static IReadOnlyList<BundleFile> Unwrap(List<BundleFile> files)
    {
        if (files.Count == 0 || files.Any(f => !f.Path.Contains('/') || IsLayoutRoot(f.Path)))
        {
            return files;
        }

        var first = files[0].Path[..files[0].Path.IndexOf('/')];
        if (files.Any(f => !f.Path.StartsWith(first + "/", StringComparison.Ordinal)))
        {
            return files;
        }

        var inner = files.Select(f => f with { Path = f.Path[(first.Length + 1)..] }).ToList();
        return inner.Any(f => IsLayoutRoot(f.Path) || !f.Path.Contains('/')) ? inner : files;
    }

    private static bool IsLayoutRoot(string path)
        => path.StartsWith("schema/", StringComparison.Ordinal)
           || path.StartsWith("infrastructure/", StringComparison.Ordinal)
           || path.StartsWith("instance_infrastructure/", StringComparison.Ordinal)
           || path.StartsWith("pipeline_infrastructure/", StringComparison.Ordinal);

    public static async ValueTask<byte[]> ReadBoundedAsync(Stream stream, int limit, string path, string source, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw Error(BundleErrorCodes.FileTooLarge, $"'{path}' is larger than its limit of {limit} bytes.", source);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static void CheckTotals(ref long total, ref int entries, long size, BundleOptions options, string source)
    {
        entries++;
        if (entries > options.MaxEntries)
        {
            throw Error(BundleErrorCodes.TooManyEntries, $"The bundle has more than {options.MaxEntries} entries.", source);
        }

        total += size;
        if (total > options.MaxBundleBytes)
        {
            throw Error(BundleErrorCodes.TooLarge, $"The bundle's files add up to more than {options.MaxBundleBytes} bytes.", source);
        }
    }
}

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

/// <summary>
/// A bundle in Proton's upload format: a gzip-compressed tar, from a file or a stream. The top folder may be wrapped.
/// Links, special files, absolute and climbing paths are refused; sizes are checked while decompressing.
/// </summary>
public sealed class TarGzBundleSource : ITemplateBundleSource
{
    private readonly string? _path;
    private readonly Func<CancellationToken, ValueTask<Stream>>? _open;
    private readonly bool _disposeOpened;

    /// <summary>Reads an archive file.</summary>
    /// <param name="path">The <c>.tar.gz</c> file.</param>
    public TarGzBundleSource(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        Description = _path;
    }

    /// <summary>Reads an archive from a stream the caller owns.</summary>
    /// <param name="stream">The gzip-compressed tar.</param>
    /// <param name="description">A name for messages.</param>
    public TarGzBundleSource(Stream stream, string description = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        _open = _ => ValueTask.FromResult(stream);
        Description = description;
    }

    /// <summary>Reads an archive from a stream opened on demand (and disposed after reading).</summary>
    /// <param name="open">Opens the stream.</param>
    /// <param name="description">A name for messages.</param>
    public TarGzBundleSource(Func<CancellationToken, ValueTask<Stream>> open, string description)
    {
        ArgumentNullException.ThrowIfNull(open);
        _open = open;
        _disposeOpened = true;
        Description = description;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BundleFile>> ReadFilesAsync(BundleOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Stream stream;
        var owns = _disposeOpened || _path is not null;
        if (_path is not null)
        {
            if (!File.Exists(_path))
            {
                throw BundlePaths.Error(BundleErrorCodes.NotFound, $"No archive at '{_path}'.", _path);
            }

            if (!Internal.UnixFileType.IsRegularFileFollowingLinks(_path))
            {
                // A FIFO would block the open, a device would never end.
                throw BundlePaths.Error(BundleErrorCodes.SpecialFile, $"'{_path}' is not a regular file (a device, FIFO or socket).", _path);
            }

            stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        }
        else
        {
            stream = await _open!(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await ReadAsync(stream, options, Description, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (owns)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    internal static async ValueTask<IReadOnlyList<BundleFile>> ReadAsync(Stream compressed, BundleOptions options, string source, CancellationToken cancellationToken)
    {
        var files = new List<BundleFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        var entries = 0;
        try
        {
            var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
            {
                var bounded = new BoundedReadStream(gzip, options.MaxUncompressedBytes, source);
                var reader = new TarReader(bounded, leaveOpen: true);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        var path = BundlePaths.Normalize(entry.Name, source);
                        switch (entry.EntryType)
                        {
                            case TarEntryType.Directory:
                                BundlePaths.CheckTotals(ref total, ref entries, 0, options, source);
                                continue;
                            case TarEntryType.SymbolicLink:
                                throw BundlePaths.Error(BundleErrorCodes.SymbolicLink, $"Entry '{entry.Name}' is a symbolic link to '{entry.LinkName}'; bundles hold regular files only.", source);
                            case TarEntryType.HardLink:
                                throw BundlePaths.Error(BundleErrorCodes.HardLink, $"Entry '{entry.Name}' is a hard link to '{entry.LinkName}'; bundles hold regular files only.", source);
                            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                                break;
                            case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                                continue;
                            default:
                                throw BundlePaths.Error(BundleErrorCodes.SpecialFile, $"Entry '{entry.Name}' is a {entry.EntryType} entry; bundles hold regular files only.", source);
                        }

                        if (path.Length == 0)
                        {
                            continue;
                        }

                        var limit = options.LimitFor(path);
                        if (entry.Length > limit)
                        {
                            throw BundlePaths.Error(BundleErrorCodes.FileTooLarge, $"'{path}' has {entry.Length} bytes; the limit is {limit}.", source);
                        }

                        BundlePaths.CheckTotals(ref total, ref entries, entry.Length, options, source);
                        if (!seen.Add(path))
                        {
                            throw BundlePaths.Error(BundleErrorCodes.DuplicateEntry, $"Entry '{path}' appears twice in the archive.", source);
                        }

                        var bytes = entry.DataStream is null
                            ? []
                            : await BundlePaths.ReadBoundedAsync(entry.DataStream, limit, path, source, cancellationToken).ConfigureAwait(false);
                        files.Add(new BundleFile(path, bytes));
                    }
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw BundlePaths.Error(BundleErrorCodes.InvalidArchive, $"Not a valid .tar.gz archive: {ex.Message}", source);
        }
        catch (FormatException ex)
        {
            throw BundlePaths.Error(BundleErrorCodes.InvalidArchive, $"Not a valid tar archive: {ex.Message}", source);
        }
        catch (EndOfStreamException ex)
        {
            throw BundlePaths.Error(BundleErrorCodes.InvalidArchive, $"The archive ends early: {ex.Message}", source);
        }

        return BundlePaths.Unwrap(files);
    }

    /// <summary>Counts decompressed bytes as they are read and stops at the limit (so a gzip bomb never expands).</summary>
    private sealed class BoundedReadStream(Stream inner, long limit, string source) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int n)
        {
            _read += n;
            if (_read > limit)
            {
                throw BundlePaths.Error(BundleErrorCodes.TooLarge, $"The archive expands to more than {limit} bytes (a gzip bomb?); reading stopped there.", source);
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

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
