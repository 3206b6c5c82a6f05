using Proton.Sdk.Templates;

namespace Proton.Sdk.Api;

/// <summary>
/// Turns a template version's <c>source</c> (Proton's <c>s3</c> bucket and key) into a bundle source. A host registers one
/// in DI (the sample host uses Proton.Sdk.Aws's <c>S3BundleSource</c>); without one, versions cannot be created through
/// the API and <c>Create*TemplateVersion</c> answers <c>ValidationException</c>.
/// </summary>
public interface ITemplateSourceResolver
{
    /// <summary>The bundle at an S3 location.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The key of the <c>.tar.gz</c> bundle.</param>
    /// <returns>The source; it is read once and disposed when it is <see cref="IDisposable"/>.</returns>
    ITemplateBundleSource Resolve(string bucket, string key);
}
