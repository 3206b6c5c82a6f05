namespace Proton.Sdk.Provisioning;

/// <summary>What an engine is doing to a resource, in any engine's terms.</summary>
public enum ResourceAction
{
    /// <summary>Not said by the engine.</summary>
    Unknown,

    /// <summary>The resource is being created.</summary>
    Create,

    /// <summary>The resource is being changed in place.</summary>
    Update,

    /// <summary>The resource is being replaced (a new one, then the old one goes).</summary>
    Replace,

    /// <summary>The resource is being deleted.</summary>
    Delete,

    /// <summary>A failed operation is being undone.</summary>
    Rollback,

    /// <summary>The resource is being read or imported without change.</summary>
    Read,
}
