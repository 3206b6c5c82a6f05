namespace Proton.Sdk.Provisioning.CodeBuild;

/// <summary>How a <see cref="CodeBuildRun"/> ended.</summary>
/// <param name="Status">Succeeded, failed, timed out or cancelled.</param>
public sealed record CodeBuildRunResult(CodeBuildRunStatus Status)
{
    /// <summary>The failing command's exit code, when known.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The command that failed (or was running when the run stopped), when known (secrets masked).</summary>
    public string? FailedCommand { get; init; }

    /// <summary>The last lines of the run's output (secrets masked).</summary>
    public IReadOnlyList<string> LogTail { get; init; } = [];

    /// <summary>The text of <c>proton-outputs.json</c> when the commands wrote one, else null.</summary>
    public string? OutputsFile { get; init; }

    /// <summary>The runner's id of the run (a CodeBuild build id), when it has one.</summary>
    public string? RunId { get; init; }

    /// <summary>The runner's own final status text (<c>SUCCEEDED</c>, <c>FAILED</c>, ...), when it has one.</summary>
    public string? EngineStatus { get; init; }
}
