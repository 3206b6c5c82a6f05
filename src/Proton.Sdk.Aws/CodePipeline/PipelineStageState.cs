namespace Proton.Sdk.Aws.CodePipeline;

/// <summary>One stage of a pipeline and its latest execution.</summary>
/// <param name="Name">The stage.</param>
/// <param name="Status">The latest execution's status (<c>InProgress</c>, <c>Succeeded</c>, <c>Failed</c>, ...), or null when it never ran.</param>
/// <param name="ExecutionId">The latest pipeline execution the stage ran in.</param>
public sealed record PipelineStageState(string Name, string? Status, string? ExecutionId);
