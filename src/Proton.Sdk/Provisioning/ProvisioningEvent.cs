namespace Proton.Sdk.Provisioning;

/// <summary>One event of a stack operation, in the order the provisioner saw it, in neutral terms.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Resource">The resource: a logical id (CloudFormation), an address (Terraform), or the stack's own name.</param>
/// <param name="ResourceType">The resource type (<c>AWS::SQS::Queue</c>, <c>terraform_data</c>, ...).</param>
/// <param name="Status">Where the resource's operation stands.</param>
/// <param name="Reason">The reason the engine gave, when given (secrets masked).</param>
public sealed record ProvisioningEvent(DateTimeOffset Timestamp, string Resource, string ResourceType, ResourceEventStatus Status, string? Reason = null)
{
    /// <summary>What is being done to the resource.</summary>
    public ResourceAction Action { get; init; }

    /// <summary>The engine's own status text, for display (<c>CREATE_COMPLETE</c>, <c>apply_complete</c>, ...).</summary>
    public string? EngineStatus { get; init; }

    /// <summary>The physical id, when known.</summary>
    public string? PhysicalId { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Timestamp:HH:mm:ss} {Resource} ({ResourceType}) {EngineStatus ?? (Action + " " + Status)}{(Reason is null ? string.Empty : ": " + Reason)}";
}
