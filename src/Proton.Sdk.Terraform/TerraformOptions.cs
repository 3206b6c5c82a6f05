namespace Proton.Sdk.Terraform;

/// <summary>Options of <see cref="TerraformProvisioner"/>.</summary>
public sealed class TerraformOptions
{
    /// <summary>The provisioner's name, recorded with each deployment. Default <c>terraform</c>.</summary>
    public string Name { get; set; } = "terraform";

    /// <summary>The <c>terraform</c> (or OpenTofu <c>tofu</c>) executable; null finds <c>terraform</c>, then <c>tofu</c>, on PATH. Default null.</summary>
    public string? ExecutablePath { get; set; }

    /// <summary>The folder that holds one working directory per stack name; they survive between deployments. Default <c>.proton/terraform</c>.</summary>
    public string RootDirectory { get; set; } = Path.Combine(".proton", "terraform");

    /// <summary>
    /// Proton's "pull request" mode: when set, deployments write the compiled files into this git working tree
    /// (<c>environments/&lt;env&gt;/</c> when the tree has an <c>environments</c> folder, else <c>&lt;env&gt;/</c>; instances and
    /// components below their environment's folder) and return a result that waits for the team's CI
    /// (<see cref="ExternalApply"/>); terraform is not run. Like Proton's pull requests, <c>proton.auto.tfvars.json</c> holds every
    /// input, secret ones included: use a repository only the provisioning CI can read. Default null (terraform runs here).
    /// </summary>
    public string? RepositoryPath { get; set; }

    /// <summary>Extra arguments for <c>terraform init</c> (for example <c>-backend-config=...</c>). Default none.</summary>
    public IList<string> InitArguments { get; } = [];

    /// <summary>Extra environment variables for terraform (credentials, <c>TF_PLUGIN_CACHE_DIR</c>, ...). Default none.</summary>
    public IDictionary<string, string> EnvironmentVariables { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How long a cancelled terraform may take to stop after SIGINT (it releases its state lock) before it is killed. Default 2 minutes.</summary>
    public TimeSpan CancelGracePeriod { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many lines of terraform's error output a failure without diagnostics quotes. Default 20.</summary>
    public int LogTailLines { get; set; } = 20;
}
