namespace Proton.Sdk.Provisioning;

/// <summary>What a deployment would do to one resource.</summary>
public enum ResourceChangeAction
{
    /// <summary>The resource is new.</summary>
    Add,

    /// <summary>The resource changes in place.</summary>
    Modify,

    /// <summary>The resource is replaced: a new physical resource, and the old one is deleted.</summary>
    Replace,

    /// <summary>The resource goes away.</summary>
    Remove,
}
