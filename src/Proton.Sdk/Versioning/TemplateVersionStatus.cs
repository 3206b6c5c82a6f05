namespace Proton.Sdk.Versioning;

/// <summary>The lifecycle of a template version.</summary>
public enum TemplateVersionStatus
{
    /// <summary>Registered, not yet offered for new resources.</summary>
    Draft,

    /// <summary>Offered for new resources and updates.</summary>
    Published,

    /// <summary>No new resources; existing resources may still update to it. Can be published again.</summary>
    Deprecated,
}
