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
