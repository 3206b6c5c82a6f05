namespace Proton.Sdk.Provisioning;

/// <summary>One planned change.</summary>
/// <param name="Action">Add, modify, replace or remove.</param>
/// <param name="Resource">The resource (logical id or address).</param>
/// <param name="ResourceType">Its type.</param>
public sealed record ResourceChange(ResourceChangeAction Action, string Resource, string ResourceType)
{
    /// <summary>For a <see cref="ResourceChangeAction.Modify"/>: the engine says the change may replace the resource, depending on values it cannot know yet (CloudFormation's <c>Conditional</c>).</summary>
    public bool MayReplace { get; init; }
}
