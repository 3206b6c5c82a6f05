namespace Proton.Sdk.Provisioning.CodeBuild;

/// <summary>Options of <see cref="CodeBuildProvisioner"/>.</summary>
public sealed class CodeBuildProvisionerOptions
{
    /// <summary>The provisioner's name, recorded with each deployment. Default <c>codebuild</c>.</summary>
    public string Name { get; set; } = "codebuild";

    /// <summary>Where each stack's last outcome and outputs are kept (one JSON file per stack, secrets masked). Default <c>.proton/codebuild-state</c>.</summary>
    public string StateDirectory { get; set; } = Path.Combine(".proton", "codebuild-state");

    /// <summary>Extra environment variables for every run (after the manifest's <c>env.variables</c>). Default none.</summary>
    public IDictionary<string, string> EnvironmentVariables { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The longest a run may take; null leaves it to the runner. Default null.</summary>
    public TimeSpan? Timeout { get; set; }
}
