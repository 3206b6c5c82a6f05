namespace Proton.Sdk.Templates;

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
