using System.Buffers;
using System.Text;

namespace Proton.Sdk.Internal;

/// <summary>Strict UTF-8 decoding: invalid bytes are an error with a location, never U+FFFD.</summary>
internal static class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Where the first invalid byte is: 1-based line and column (in characters of that line), the byte and its offset.</summary>
    internal readonly record struct InvalidByte(int Line, int Column, byte Value, long Offset)
    {
        public string Describe(string file)
            => $"'{file}' is not valid UTF-8: byte 0x{Value:X2} at line {Line}, column {Column} (offset {Offset}); save it as UTF-8.";
    }

    /// <summary>Decodes <paramref name="bytes"/>, dropping a leading byte-order mark as <c>BundleFile.Text</c> always has.</summary>
    /// <returns>The text, or null with <paramref name="invalid"/> set.</returns>
    public static string? TryDecode(ReadOnlySpan<byte> bytes, out InvalidByte invalid)
    {
        invalid = default;
        var offset = 0;
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            offset = 3;
        }

        var body = bytes[offset..];
        if (System.Text.Unicode.Utf8.IsValid(body))
        {
            return Strict.GetString(body);
        }

        invalid = Locate(body, offset);
        return null;
    }

    /// <summary>
    /// Decodes a file the way <c>File.ReadAllText</c> did (a UTF-16 or UTF-32 byte-order mark selects that encoding), but
    /// strictly: UTF-8 without such a mark must be valid. Invalid UTF-16/32 is reported at the start of the file.
    /// </summary>
    public static string? TryDecodeWithByteOrderMark(byte[] bytes, out InvalidByte invalid)
    {
        Encoding? marked = bytes switch
        {
            [0xFF, 0xFE, 0x00, 0x00, ..] => new UTF32Encoding(bigEndian: false, byteOrderMark: true, throwOnInvalidCharacters: true),
            [0x00, 0x00, 0xFE, 0xFF, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: true, throwOnInvalidCharacters: true),
            [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true),
            [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true),
            _ => null,
        };
        if (marked is null)
        {
            return TryDecode(bytes, out invalid);
        }

        invalid = default;
        try
        {
            return marked.GetString(bytes, marked.Preamble.Length, bytes.Length - marked.Preamble.Length);
        }
        catch (DecoderFallbackException)
        {
            invalid = new InvalidByte(1, 1, bytes[0], 0);
            return null;
        }
    }

    /// <summary>The first invalid byte of <paramref name="bytes"/>, or null when they are valid UTF-8 (a leading BOM allowed).</summary>
    public static InvalidByte? FindInvalid(ReadOnlySpan<byte> bytes)
        => TryDecode(bytes, out var invalid) is null ? invalid : null;

    private static InvalidByte Locate(ReadOnlySpan<byte> body, int skipped)
    {
        var line = 1;
        var column = 1;
        var i = 0;
        while (i < body.Length)
        {
            var status = Rune.DecodeFromUtf8(body[i..], out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                return new InvalidByte(line, column, body[i], i + skipped);
            }

            if (rune.Value == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column += rune.Utf16SequenceLength;
            }

            i += consumed;
        }

        return new InvalidByte(line, column, 0, body.Length + skipped);
    }
}
