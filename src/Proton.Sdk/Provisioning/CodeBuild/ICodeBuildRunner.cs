namespace Proton.Sdk.Provisioning.CodeBuild;

/// <summary>
/// Runs a CodeBuild manifest's commands somewhere: <see cref="LocalCodeBuildRunner"/> (a local shell, the default) or the AWS
/// CodeBuild runner of Proton.Sdk.Aws (a build in a CodeBuild project, for hosts that want isolation).
/// </summary>
public interface ICodeBuildRunner
{
    /// <summary>A short name (<c>local</c>, <c>aws-codebuild</c>) for messages.</summary>
    string Name { get; }

    /// <summary>Runs the commands and waits for the end, streaming output as events; a failed command is a result, not an exception.</summary>
    /// <param name="run">What to run.</param>
    /// <param name="progress">Receives the commands as they start and the output lines (secrets masked).</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>How it ended, with the text of <c>proton-outputs.json</c> when the commands wrote one.</returns>
    Task<CodeBuildRunResult> RunAsync(CodeBuildRun run, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default);
}
