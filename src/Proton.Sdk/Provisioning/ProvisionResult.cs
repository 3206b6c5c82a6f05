namespace Proton.Sdk.Provisioning;

/// <summary>The result of a deploy or destroy.</summary>
public sealed record ProvisionResult
{
    /// <summary>How it ended.</summary>
    public required ProvisionStatus Status { get; init; }

    /// <summary>The stack's state afterwards, in neutral terms, when there is a stack.</summary>
    public StackState? State { get; init; }

    /// <summary>The engine's own final status text, for display (<c>CREATE_COMPLETE</c>, ...), when there is a stack.</summary>
    public string? EngineStatus { get; init; }

    /// <summary>The stack's outputs after the operation.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    /// <summary>A one-line summary.</summary>
    public string? Message { get; init; }

    /// <summary>The root cause of a failure: the first resource-level failures.</summary>
    public IReadOnlyList<ResourceFailure> Failures { get; init; } = [];

    /// <summary>True for <see cref="ProvisionStatus.Succeeded"/> and <see cref="ProvisionStatus.NoChanges"/>.</summary>
    public bool IsSuccess => Status is ProvisionStatus.Succeeded or ProvisionStatus.NoChanges;
}
