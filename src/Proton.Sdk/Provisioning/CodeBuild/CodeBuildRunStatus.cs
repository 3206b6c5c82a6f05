namespace Proton.Sdk.Provisioning.CodeBuild;

/// <summary>How a run of CodeBuild commands ended.</summary>
public enum CodeBuildRunStatus
{
    /// <summary>Every command exited with 0.</summary>
    Succeeded,

    /// <summary>A command failed; the run stopped there.</summary>
    Failed,

    /// <summary>The run took longer than its timeout and was stopped.</summary>
    TimedOut,

    /// <summary>The caller cancelled and the run was stopped.</summary>
    Cancelled,
}
