namespace Proton.Sdk.Platform;

/// <summary>
/// Proton-identical tags (<see cref="ProtonPlatformOptions.ArnTags"/>): the <c>proton:*</c> tag values are ARNs built
/// from <see cref="Partition"/>, <see cref="Region"/> and the resource's account, as AWS Proton wrote them, and
/// <c>proton:account</c> holds the account id.
/// </summary>
public sealed class ProtonArnTags
{
    /// <summary>The partition. Default <c>aws</c>.</summary>
    public string Partition { get; set; } = "aws";

    /// <summary>The region of the ARNs (the region Proton ran in).</summary>
    public required string Region { get; set; }
}
