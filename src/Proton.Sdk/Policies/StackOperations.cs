namespace Proton.Sdk.Policies;

/// <summary>Which stack operations the policy must allow.</summary>
[Flags]
public enum StackOperations
{
    /// <summary>Creating the stack: each type's create and read handlers.</summary>
    Create = 1,

    /// <summary>Updating it: update and read, plus create and delete for replacements and added or removed resources.</summary>
    Update = 2,

    /// <summary>Deleting it: delete and read.</summary>
    Delete = 4,

    /// <summary>All three.</summary>
    All = Create | Update | Delete,
}
