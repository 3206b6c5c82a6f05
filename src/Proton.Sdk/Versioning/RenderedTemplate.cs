using Proton.Sdk.Templates;

namespace Proton.Sdk.Versioning;

/// <summary>One template of a bundle, rendered.</summary>
/// <param name="Part">The infrastructure part it belongs to.</param>
/// <param name="Path">Its path in the bundle.</param>
/// <param name="Text">The rendered text.</param>
public sealed record RenderedTemplate(InfrastructurePartKind Part, string Path, string Text);
