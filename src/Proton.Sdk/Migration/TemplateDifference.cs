namespace Proton.Sdk.Migration;

/// <summary>One difference between two templates, at a path such as <c>Resources.Bucket.Properties.BucketName</c>.</summary>
/// <param name="Path">Where: top-level section, logical id, property path, list indexes in brackets.</param>
/// <param name="Kind">Added, removed or changed.</param>
/// <param name="Deployed">The deployed value (compact JSON), null when absent.</param>
/// <param name="Rendered">The rendered value (compact JSON), null when absent.</param>
public sealed record TemplateDifference(string Path, TemplateDifferenceKind Kind, string? Deployed, string? Rendered)
{
    /// <summary>One readable line.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => Kind switch
    {
        TemplateDifferenceKind.Added => $"+ {Path}: {Rendered}",
        TemplateDifferenceKind.Removed => $"- {Path}: {Deployed}",
        _ => $"~ {Path}: {Deployed} -> {Rendered}",
    };
}
