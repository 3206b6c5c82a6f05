using System.Formats.Tar;
using System.IO.Compression;

namespace Proton.Sdk.Templates;

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

            var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                return await ReadAsync(file, options, Description, cancellationToken).ConfigureAwait(false);
            }
        }

        var stream = await _open!(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReadAsync(stream, options, Description, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (_disposeOpened)
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
