namespace Proton.Sdk.Provisioning;

/// <summary>
/// Maps CloudFormation's stack and resource status texts (<c>CREATE_COMPLETE</c>, <c>UPDATE_ROLLBACK_FAILED</c>, ...)
/// to the neutral provisioner contract. Used by the CloudFormation provisioner and by the local provisioner, which
/// reports its simulated stacks in CloudFormation's terms.
/// </summary>
public static class CloudFormationStatus
{
    /// <summary>The neutral state of a stack status.</summary>
    /// <param name="status">A CloudFormation stack status.</param>
    /// <returns>The state; an unknown text is <see cref="StackState.Failed"/> unless it ends in <c>_IN_PROGRESS</c>.</returns>
    public static StackState ToStackState(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status switch
        {
            "CREATE_COMPLETE" or "UPDATE_COMPLETE" or "IMPORT_COMPLETE" or "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS" => StackState.Succeeded,
            "ROLLBACK_COMPLETE" or "UPDATE_ROLLBACK_COMPLETE" or "IMPORT_ROLLBACK_COMPLETE" or "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS" => StackState.RolledBack,
            "DELETE_COMPLETE" => StackState.Deleted,
            "REVIEW_IN_PROGRESS" => StackState.NotFound,
            _ when status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) => StackState.InProgress,
            _ => StackState.Failed,
        };
    }

    /// <summary>The neutral action and status of a resource (or stack) event status.</summary>
    /// <param name="status">A CloudFormation resource status (<c>CREATE_IN_PROGRESS</c>, <c>DELETE_SKIPPED</c>, ...).</param>
    /// <returns>The action and the status.</returns>
    public static (ResourceAction Action, ResourceEventStatus Status) ToResourceEvent(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var action = status switch
        {
            _ when status.Contains("ROLLBACK", StringComparison.Ordinal) => ResourceAction.Rollback,
            _ when status.StartsWith("CREATE_", StringComparison.Ordinal) => ResourceAction.Create,
            _ when status.StartsWith("UPDATE_", StringComparison.Ordinal) => ResourceAction.Update,
            _ when status.StartsWith("DELETE_", StringComparison.Ordinal) => ResourceAction.Delete,
            _ when status.StartsWith("IMPORT_", StringComparison.Ordinal) => ResourceAction.Read,
            _ => ResourceAction.Unknown,
        };
        var result = status switch
        {
            _ when status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) && !status.EndsWith("_COMPLETE_CLEANUP_IN_PROGRESS", StringComparison.Ordinal) => ResourceEventStatus.InProgress,
            _ when status.EndsWith("_FAILED", StringComparison.Ordinal) => ResourceEventStatus.Failed,
            _ when status.EndsWith("_SKIPPED", StringComparison.Ordinal) => ResourceEventStatus.Skipped,
            _ => ResourceEventStatus.Succeeded,
        };
        return (action, result);
    }

    /// <summary>A neutral event from a CloudFormation stack event.</summary>
    /// <param name="timestamp">When it happened.</param>
    /// <param name="logicalId">The logical id (or the stack's name).</param>
    /// <param name="resourceType">The resource type.</param>
    /// <param name="status">The CloudFormation resource status, kept as <see cref="ProvisioningEvent.EngineStatus"/>.</param>
    /// <param name="reason">The status reason (mask secrets first).</param>
    /// <param name="physicalId">The physical id, when known.</param>
    /// <returns>The event.</returns>
    public static ProvisioningEvent ToEvent(DateTimeOffset timestamp, string logicalId, string resourceType, string status, string? reason = null, string? physicalId = null)
    {
        var (action, result) = ToResourceEvent(status);
        return new ProvisioningEvent(timestamp, logicalId, resourceType, result, reason) { Action = action, EngineStatus = status, PhysicalId = physicalId };
    }
}
