namespace Proton.Sdk.Schema;

/// <summary>How much a schema change matters to the resources already running on the old version.</summary>
public enum ChangeImpact
{
    /// <summary>Nothing a spec needs changes (title, description, example): a patch.</summary>
    None,

    /// <summary>Old specs stay valid (new optional input, relaxed constraint): at least a minor version.</summary>
    Additive,

    /// <summary>Old specs may become invalid (removed input, type change, tightened constraint): a major version.</summary>
    Breaking,
}
