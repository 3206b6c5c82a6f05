using Proton.Sdk.Internal;

namespace Proton.Sdk.Templates;

/// <summary>
/// Reads a text file a tool is given by path (a template, a render context, deployment outputs) the way the SDK reads spec
/// files: regular files only (a FIFO would block, <c>/dev/zero</c> would never end), at most a limit of bytes, strict UTF-8
/// (a leading byte-order mark is dropped; a UTF-16 or UTF-32 byte-order mark selects that encoding, as <c>File.ReadAllText</c> does).
/// </summary>
public static class InputFile
{
    /// <summary>The default limit: 4,194,304 bytes (the renderer's default template limit of 1,048,576 characters, at up to 4 bytes each).</summary>
    public const long DefaultMaxBytes = 4_194_304;

    /// <summary>Reads a text file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The most bytes to read; a longer file is refused.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ProtonValidationException">The file is missing, special, too large or not UTF-8 (<see cref="InputFileErrorCodes"/>), with its location.</exception>
    public static async ValueTask<string> ReadTextAsync(string path, long maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var (outcome, bytes) = await BoundedFile.ReadAsync(path, maxBytes, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case BoundedFile.Outcome.NotFound:
                throw Error(InputFileErrorCodes.NotFound, $"No file at '{path}'.", path);
            case BoundedFile.Outcome.SpecialFile:
                throw Error(InputFileErrorCodes.SpecialFile, $"'{path}' is not a regular file (a device, FIFO or socket).", path);
            case BoundedFile.Outcome.TooLarge:
                throw Error(InputFileErrorCodes.TooLarge, $"'{path}' is larger than {maxBytes} bytes, the limit.", path);
        }

        return Utf8Text.TryDecodeWithByteOrderMark(bytes!, out var invalid)
               ?? throw Error(InputFileErrorCodes.InvalidEncoding, invalid.Describe(path), path, invalid.Line, invalid.Column);
    }

    private static ProtonValidationException Error(string code, string message, string path, int line = 0, int column = 0)
        => new(code, [Diagnostic.Error(code, message, path, line, column)]);
}
