using System.Text;

namespace Proton.Sdk.Templates;

/// <summary>One file of a bundle.</summary>
/// <param name="Path">Path relative to the bundle root, with forward slashes.</param>
/// <param name="Content">The bytes.</param>
public sealed record BundleFile(string Path, ReadOnlyMemory<byte> Content)
{
    /// <summary>The content decoded as UTF-8 (a byte-order mark is dropped).</summary>
    public string Text
    {
        get
        {
            var span = Content.Span;
            if (span.Length >= 3 && span[0] == 0xEF && span[1] == 0xBB && span[2] == 0xBF)
            {
                span = span[3..];
            }

            return Encoding.UTF8.GetString(span);
        }
    }
}
