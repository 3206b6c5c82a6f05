namespace Proton.Sdk.Templates;

/// <summary>Limits for reading bundles and spec files. Defaults are AWS Proton's own limits.</summary>
public sealed class BundleOptions
{
    /// <summary>Total bytes of all files in a bundle. Default 5 MiB (Proton: 5 MB).</summary>
    public long MaxBundleBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Bytes a compressed archive may expand to while it is read (checked as it streams). Default 16 MiB.</summary>
    public long MaxUncompressedBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Bytes of <c>schema.yaml</c>. Default 50 KiB (Proton: 50 KB).</summary>
    public int MaxSchemaBytes { get; set; } = 50 * 1024;

    /// <summary>Bytes of a <c>manifest.yaml</c>. Default 50 KiB (Proton: 50 KB).</summary>
    public int MaxManifestBytes { get; set; } = 50 * 1024;

    /// <summary>Bytes of any other file. Default 200 KiB (Proton: 200 KB).</summary>
    public int MaxFileBytes { get; set; } = 200 * 1024;

    /// <summary>Entries (files and folders) in a bundle. Default 1,000.</summary>
    public int MaxEntries { get; set; } = 1_000;

    /// <summary>Deepest YAML nesting. Default 64.</summary>
    public int MaxYamlDepth { get; set; } = 64;

    /// <summary>Most YAML nodes a document may expand to through aliases. Default 100,000.</summary>
    public long MaxYamlNodes { get; set; } = 100_000;

    /// <summary>The defaults, shared.</summary>
    public static BundleOptions Default { get; } = new();

    internal Internal.YamlLimits YamlLimits => new() { MaxDepth = MaxYamlDepth, MaxNodes = MaxYamlNodes };

    internal int LimitFor(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        return name switch
        {
            "schema.yaml" => MaxSchemaBytes,
            "manifest.yaml" => MaxManifestBytes,
            _ => MaxFileBytes,
        };
    }
}
