namespace Proton.Sdk.Templates;

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
        if (files.Count == 0 || files.Any(f => !f.Path.Contains('/', StringComparison.Ordinal) || IsLayoutRoot(f.Path)))
        {
            return files;
        }

        var first = files[0].Path[..files[0].Path.IndexOf('/', StringComparison.Ordinal)];
        if (files.Any(f => !f.Path.StartsWith(first + "/", StringComparison.Ordinal)))
        {
            return files;
        }

        var inner = files.Select(f => f with { Path = f.Path[(first.Length + 1)..] }).ToList();
        return inner.Any(f => IsLayoutRoot(f.Path) || !f.Path.Contains('/', StringComparison.Ordinal)) ? inner : files;
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
