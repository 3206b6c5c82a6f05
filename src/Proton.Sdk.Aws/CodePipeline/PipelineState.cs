namespace Proton.Sdk.Aws.CodePipeline;

/// <summary>A pipeline's state (GetPipelineState).</summary>
/// <param name="PipelineName">The pipeline.</param>
/// <param name="Version">The pipeline's version.</param>
/// <param name="Stages">The stages in order.</param>
public sealed record PipelineState(string PipelineName, int Version, IReadOnlyList<PipelineStageState> Stages);
