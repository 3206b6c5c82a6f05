using System.Text.Json;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Versioning;

/// <summary>A bundle's files as one deterministic JSON blob (files sorted by path, content in base64).</summary>
internal static class BundleBlob
{
    public static byte[] Serialize(TemplateBundle bundle)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("files");
            foreach (var file in bundle.Files.Values.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("path", file.Path);
                writer.WriteBase64String("content", file.Content.Span);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static IReadOnlyList<BundleFile> Deserialize(ReadOnlySpan<byte> blob)
    {
        var reader = new Utf8JsonReader(blob);
        using var doc = JsonDocument.ParseValue(ref reader);
        return doc.RootElement.GetProperty("files").EnumerateArray()
            .Select(f => new BundleFile(f.GetProperty("path").GetString()!, f.GetProperty("content").GetBytesFromBase64()))
            .ToList();
    }
}
