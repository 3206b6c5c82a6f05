namespace Proton.Sdk.Aws.Storage;

/// <summary>
/// Where an <see cref="S3ProtonStore"/> keeps its objects, bound from <c>Proton:Aws:S3Store</c> by <c>AddProtonAws</c>.
/// How to reach S3 is not here: that is <see cref="AwsConnectionOptions"/>, shared by every component.
/// </summary>
public sealed class S3StoreOptions
{
    /// <summary>The bucket. Required.</summary>
    public string BucketName { get; set; } = string.Empty;

    /// <summary>A key prefix for every object the store writes. Default <c>proton/</c>.</summary>
    public string Prefix { get; set; } = "proton/";
}
