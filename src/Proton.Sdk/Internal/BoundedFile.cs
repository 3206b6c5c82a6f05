namespace Proton.Sdk.Internal;

/// <summary>Reads an input file given by path: regular files only (checked before opening, as opening a FIFO blocks), at most a limit of bytes.</summary>
internal static class BoundedFile
{
    internal enum Outcome
    {
        Read,
        NotFound,
        SpecialFile,
        TooLarge,
    }

    /// <summary>Reads at most <paramref name="maxBytes"/> bytes; a longer file, a missing file or a special file is an outcome, not an exception.</summary>
    public static async ValueTask<(Outcome Outcome, byte[]? Bytes)> ReadAsync(string path, long maxBytes, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path) || !File.Exists(path))
        {
            return (Outcome.NotFound, null);
        }

        if (!UnixFileType.IsRegularFileFollowingLinks(path))
        {
            return (Outcome.SpecialFile, null);
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            // The length is a hint only (a file can grow while it is read): the read itself stops one byte past the limit.
            if (stream.Length > maxBytes)
            {
                return (Outcome.TooLarge, null);
            }

            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (Outcome.TooLarge, null);
                }

                buffer.Write(chunk, 0, read);
            }

            return (Outcome.Read, buffer.ToArray());
        }
    }
}
