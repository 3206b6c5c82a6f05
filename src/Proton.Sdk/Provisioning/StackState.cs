namespace Proton.Sdk.Provisioning;

/// <summary>A stack's state in any engine's terms; the engine's own status text stays beside it for display.</summary>
public enum StackState
{
    /// <summary>There is no stack (or nothing was ever deployed into it).</summary>
    NotFound,

    /// <summary>An operation runs.</summary>
    InProgress,

    /// <summary>The last operation reached its goal.</summary>
    Succeeded,

    /// <summary>The last operation failed and left the stack in a state that needs attention.</summary>
    Failed,

    /// <summary>The last operation failed and was undone: the stack is as it was before (or empty after a failed create).</summary>
    RolledBack,

    /// <summary>The stack was deleted.</summary>
    Deleted,
}
