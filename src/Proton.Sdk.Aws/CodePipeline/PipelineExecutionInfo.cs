namespace Proton.Sdk.Aws.CodePipeline;

/// <summary>One pipeline execution.</summary>
/// <param name="ExecutionId">The id.</param>
/// <param name="Status">The status (<c>InProgress</c>, <c>Succeeded</c>, <c>Failed</c>, <c>Stopped</c>, ...).</param>
public sealed record PipelineExecutionInfo(string ExecutionId, string Status)
{
    /// <summary>When it started, when known.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it last changed, when known.</summary>
    public DateTimeOffset? LastUpdatedAt { get; init; }

    /// <summary>The status summary, when given.</summary>
    public string? StatusSummary { get; init; }
}
