namespace Proton.Sdk.Rendering;

/// <summary>The rendering engines a manifest's <c>rendering_engine</c> can name.</summary>
public static class RenderingEngines
{
    /// <summary>Proton's Jinja dialect, evaluated by Scriban's runtime (what every Proton CloudFormation bundle uses).</summary>
    public const string Jinja = "jinja";

    /// <summary>Native Scriban syntax, the SDK's own engine for new templates.</summary>
    public const string Scriban = "scriban";
}
