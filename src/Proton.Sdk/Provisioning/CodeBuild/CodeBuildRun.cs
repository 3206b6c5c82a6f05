using Proton.Sdk.Templates;

namespace Proton.Sdk.Provisioning.CodeBuild;

/// <summary>One run of a CodeBuild manifest's commands: what an <see cref="ICodeBuildRunner"/> executes.</summary>
public sealed record CodeBuildRun
{
    /// <summary>The stack (Proton resource) the run provisions.</summary>
    public required string StackName { get; init; }

    /// <summary>Provision or deprovision.</summary>
    public required CodeBuildPhase Phase { get; init; }

    /// <summary>The shell commands, in order; they run in one shell, so exported variables and <c>cd</c> carry over, and the run stops at the first that fails.</summary>
    public required IReadOnlyList<string> Commands { get; init; }

    /// <summary>The source files (paths relative to the folder the commands run in): the bundle part's files and <c>proton-inputs.json</c>.</summary>
    public required IReadOnlyList<BundleFile> Files { get; init; }

    /// <summary>Environment variables for the commands (<c>RESOURCE_ARN</c>, the manifest's <c>env.variables</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>The manifest's <c>image</c> (a CodeBuild image); runners without images ignore it.</summary>
    public string? Image { get; init; }

    /// <summary>The manifest's <c>runtimes</c> (<c>nodejs: 16</c>); runners without images ignore them.</summary>
    public IReadOnlyDictionary<string, string> Runtimes { get; init; } = new Dictionary<string, string>();

    /// <summary>The longest the run may take; null uses the runner's default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Values that must never reach events, logs or results.</summary>
    public IReadOnlyCollection<string> SecretValues { get; init; } = [];

    /// <summary>The deployment's id (an idempotency token for runners that take one).</summary>
    public string? DeploymentId { get; init; }
}
