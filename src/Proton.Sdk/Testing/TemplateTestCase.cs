namespace Proton.Sdk.Testing;

/// <summary>One spec rendered through one template of the bundle (or a bundle-wide check, with <see cref="Template"/> <c>schema</c>).</summary>
/// <param name="Spec">The spec: a file name of the spec folder (with <c>[instance]</c> for a service instance), <c>(defaults)</c> or <c>(all-optional)</c>.</param>
/// <param name="Template">The template file, relative to the bundle root.</param>
/// <param name="Status">The outcome.</param>
/// <param name="Messages">Errors and warnings, with file and line where known.</param>
public sealed record TemplateTestCase(string Spec, string Template, TemplateTestStatus Status, IReadOnlyList<Diagnostic> Messages)
{
    /// <summary>The unified diff from the snapshot to the new rendering when the snapshot changed; otherwise null.</summary>
    public string? Diff { get; init; }

    /// <summary>The snapshot file compared or written, when there is one.</summary>
    public string? SnapshotFile { get; init; }
}
