namespace Proton.Sdk.Migration;

/// <summary>One stack of the account as an inventory reports it: name, status, tags, outputs, parameters, role and times.</summary>
public sealed record DiscoveredStack
{
    /// <summary>The stack's name (Proton's are <c>AWSProton-...</c>).</summary>
    public required string StackName { get; init; }

    /// <summary>The stack's id (on CloudFormation, its ARN: <c>arn:aws:cloudformation:region:account:stack/name/uuid</c>).</summary>
    public string? StackId { get; init; }

    /// <summary>The engine's status text (<c>CREATE_COMPLETE</c>, <c>UPDATE_ROLLBACK_COMPLETE</c>, ...).</summary>
    public required string Status { get; init; }

    /// <summary>The stack's tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The stack's outputs.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    /// <summary>The stack's parameters (as the engine reports them; <c>NoEcho</c> ones masked).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The service role the engine uses for this stack, when one is associated.</summary>
    public string? RoleArn { get; init; }

    /// <summary>When the stack was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the stack was last updated; null when never.</summary>
    public DateTimeOffset? LastUpdatedAt { get; init; }

    /// <summary>True when the last operation succeeded (<c>CREATE_COMPLETE</c>, <c>UPDATE_COMPLETE</c>, <c>IMPORT_COMPLETE</c>).</summary>
    public bool IsStable => Status is "CREATE_COMPLETE" or "UPDATE_COMPLETE" or "IMPORT_COMPLETE";
}
