namespace Proton.Sdk.Provisioning;

/// <summary>A stack's current state.</summary>
/// <param name="StackName">The stack.</param>
/// <param name="State">The state in neutral terms.</param>
public sealed record StackDescription(string StackName, StackState State)
{
    /// <summary>The engine's own status text, for display (<c>CREATE_COMPLETE</c>, <c>UPDATE_IN_PROGRESS</c>, ...).</summary>
    public string? EngineStatus { get; init; }

    /// <summary>The engine's id of the stack when it has one (a CloudFormation stack ARN), else null.</summary>
    public string? StackId { get; init; }

    /// <summary>The outputs.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    /// <summary>The status reason, when given.</summary>
    public string? StatusReason { get; init; }

    /// <summary>The deployment id (idempotency token) of the stack's last operation, when the provisioner knows it.</summary>
    public string? LastDeploymentId { get; init; }

    /// <summary>True while an operation runs.</summary>
    public bool IsInProgress => State == StackState.InProgress;

    /// <summary>True when the last operation reached its goal.</summary>
    public bool IsStable => State == StackState.Succeeded;

    /// <summary>The engine status when known, else the state's name.</summary>
    public string DisplayStatus => EngineStatus ?? State.ToString();
}
