namespace Proton.Sdk.Provisioning;

/// <summary>What a deployment would change, without changing anything; any engine can fill it.</summary>
/// <param name="StackName">The stack.</param>
/// <param name="StackExists">False when the deployment would create the stack.</param>
/// <param name="Changes">The resource changes, in the engine's order.</param>
public sealed record StackPlan(string StackName, bool StackExists, IReadOnlyList<ResourceChange> Changes)
{
    /// <summary>True when nothing would change.</summary>
    public bool IsEmpty => StackExists && Changes.Count == 0;

    /// <summary>How many resources would be added.</summary>
    public int Added => Changes.Count(c => c.Action == ResourceChangeAction.Add);

    /// <summary>How many resources would change in place (some possibly replaced, see <see cref="ResourceChange.MayReplace"/>).</summary>
    public int Changed => Changes.Count(c => c.Action == ResourceChangeAction.Modify);

    /// <summary>How many resources would be replaced.</summary>
    public int Replaced => Changes.Count(c => c.Action == ResourceChangeAction.Replace);

    /// <summary>How many resources would be removed.</summary>
    public int Removed => Changes.Count(c => c.Action == ResourceChangeAction.Remove);
}
