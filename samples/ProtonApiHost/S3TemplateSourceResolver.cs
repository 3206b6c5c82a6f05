using Microsoft.Extensions.Options;
using Proton.Sdk.Api;
using Proton.Sdk.Aws;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Templates;

namespace ProtonApiHost;

/// <summary>Reads template versions' <c>source.s3</c> bundles with the host's own AWS connection (<c>Proton:Aws</c>).</summary>
/// <param name="connection">The connection settings.</param>
internal sealed class S3TemplateSourceResolver(IOptions<AwsConnectionOptions> connection) : ITemplateSourceResolver
{
    public ITemplateBundleSource Resolve(string bucket, string key) => new S3BundleSource($"s3://{bucket}/{key}", connection.Value);
}
