namespace Proton.Sdk.Provisioning.CodeBuild;

/// <summary>Options of <see cref="LocalCodeBuildRunner"/>.</summary>
public sealed class LocalCodeBuildRunnerOptions
{
    /// <summary>The folder under which each stack gets a fresh source folder per run. Default <c>.proton/codebuild</c>.</summary>
    public string RootDirectory { get; set; } = Path.Combine(".proton", "codebuild");

    /// <summary>The shell that runs the commands. Default <c>/bin/sh</c>.</summary>
    public string Shell { get; set; } = "/bin/sh";

    /// <summary>The longest a run may take when the run names no timeout. Default 60 minutes (CodeBuild's default build timeout).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>How many output lines a failed run quotes. Default 30.</summary>
    public int LogTailLines { get; set; } = 30;

    /// <summary>Whether the commands see this process's environment variables (PATH, credentials) besides the run's. Default true.</summary>
    public bool InheritEnvironment { get; set; } = true;
}
