using System.Text;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Templates;
using Proton.Sdk.Terraform.Internal;

namespace Proton.Sdk.Terraform;

/// <summary>
/// Proton's compiled Terraform directory: the bundle part's files as they are (Terraform bundles are not rendered with
/// Jinja), <c>proton.&lt;environment|service_instance|pipeline|component&gt;.variables.tf</c> declaring Proton's namespaces and
/// <c>proton_tags</c>, and <c>proton.auto.tfvars.json</c> with their values (AWS Proton user guide, "Terraform IaC files").
/// </summary>
public static class TerraformWorkingDirectory
{
    /// <summary>The values file Proton writes.</summary>
    public const string TfvarsFileName = "proton.auto.tfvars.json";

    /// <summary>The file that lists what a write put in a folder, so that the next write removes files that left the bundle.</summary>
    public const string WrittenFilesList = ".proton-files";

    /// <summary>The variables file for a part: <c>proton.environment.variables.tf</c>, <c>proton.service_instance.variables.tf</c>, <c>proton.pipeline.variables.tf</c> or <c>proton.component.variables.tf</c>.</summary>
    /// <param name="kind">The bundle part.</param>
    /// <returns>The file name.</returns>
    public static string VariablesFileName(InfrastructurePartKind kind) => $"proton.{TerraformVariables.ResourceType(kind)}.variables.tf";

    /// <summary>The files of the working directory for <paramref name="request"/>, with paths relative to it.</summary>
    /// <param name="request">A request whose <see cref="DeployRequest.Part"/> is a Terraform part (<c>rendering_engine: hcl</c>).</param>
    /// <returns>The files: the part's files but its manifest, then the variables and values files.</returns>
    /// <exception cref="ProvisioningException">The request has no Terraform part (<see cref="TerraformErrorCodes.NoTerraformPart"/>).</exception>
    public static IReadOnlyList<BundleFile> Compile(DeployRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var part = request.Part;
        if (part is null || part.ProvisioningMethod != ProvisioningMethod.Terraform)
        {
            throw new ProvisioningException(TerraformErrorCodes.NoTerraformPart, $"Stack {request.StackName}: the request carries no Terraform bundle part (manifest rendering_engine: hcl).");
        }

        var variablesFile = VariablesFileName(part.Kind);
        var prefix = part.Folder.Length == 0 ? string.Empty : part.Folder.TrimEnd('/') + "/";
        var files = new List<BundleFile>();
        foreach (var f in part.Files)
        {
            var relative = f.Path.StartsWith(prefix, StringComparison.Ordinal) ? f.Path[prefix.Length..] : f.Path;
            if (relative is "manifest.yaml" or TfvarsFileName || relative == variablesFile)
            {
                continue;
            }

            files.Add(new BundleFile(relative, f.Content));
        }

        var namespaces = TerraformVariables.Normalize(request.Variables, part.Kind);
        files.Add(new BundleFile(variablesFile, Encoding.UTF8.GetBytes(TerraformVariables.VariablesFile(namespaces))));
        files.Add(new BundleFile(TfvarsFileName, Encoding.UTF8.GetBytes(TerraformVariables.TfvarsJson(namespaces, request.Tags))));
        return files;
    }

    /// <summary>
    /// Writes <paramref name="files"/> into <paramref name="directory"/> (created when missing) and removes the files that an
    /// earlier write put there and that are no longer in the set; everything else in the folder (state, <c>.terraform</c>,
    /// other resources' folders) stays.
    /// </summary>
    /// <param name="files">The files, paths relative to the folder.</param>
    /// <param name="directory">The folder.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    /// <exception cref="ProvisioningException">A path leaves the folder (<see cref="TerraformErrorCodes.InvalidPath"/>).</exception>
    public static async Task WriteAsync(IReadOnlyList<BundleFile> files, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        var targets = files.Select(f => (File: f, Full: Inside(root, f.Path))).ToList();
        var listPath = Path.Combine(root, WrittenFilesList);
        if (File.Exists(listPath))
        {
            var keep = new HashSet<string>(files.Select(f => f.Path), StringComparer.Ordinal);
            foreach (var old in await File.ReadAllLinesAsync(listPath, cancellationToken).ConfigureAwait(false))
            {
                if (old.Length > 0 && !keep.Contains(old) && Inside(root, old) is var stale && File.Exists(stale))
                {
                    File.Delete(stale);
                }
            }
        }

        foreach (var (file, full) in targets)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
            await File.WriteAllBytesAsync(temp, file.Content.ToArray(), cancellationToken).ConfigureAwait(false);
            File.Move(temp, full, overwrite: true);
        }

        await File.WriteAllLinesAsync(listPath, files.Select(f => f.Path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The folder of a git working tree that Proton's "pull request" mode writes a resource into: <c>environments/&lt;env&gt;/</c>
    /// when the tree has an <c>environments</c> folder, else <c>&lt;env&gt;/</c>; a service instance in
    /// <c>&lt;environment folder&gt;/&lt;instance&gt;/</c>, a component in <c>&lt;environment folder&gt;/&lt;component&gt;/</c>, a pipeline
    /// (whose layout Proton did not document) in <c>pipelines/&lt;service&gt;/</c>.
    /// </summary>
    /// <param name="request">The request (its part's kind and the variables' names).</param>
    /// <param name="repositoryRoot">The working tree's root.</param>
    /// <returns>The absolute folder.</returns>
    /// <exception cref="ProvisioningException">The variables name no environment (<see cref="TerraformErrorCodes.NoEnvironment"/>).</exception>
    public static string RepositoryFolder(DeployRequest request, string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(repositoryRoot);
        var root = Path.GetFullPath(repositoryRoot);
        var kind = request.Part?.Kind ?? InfrastructurePartKind.Infrastructure;
        if (kind == InfrastructurePartKind.PipelineInfrastructure)
        {
            return Path.Combine(root, "pipelines", SafeName(Name(request.Variables, "service") ?? request.StackName, request));
        }

        var instance = request.Variables.GetValueOrDefault("service_instance") as IReadOnlyDictionary<string, object?>;
        var environment = Name(request.Variables, "environment")
            ?? (instance?.GetValueOrDefault("environment") as IReadOnlyDictionary<string, object?>)?.GetValueOrDefault("name") as string
            ?? throw new ProvisioningException(TerraformErrorCodes.NoEnvironment, $"Stack {request.StackName}: the variables name no environment (environment.name), so its repository folder is unknown.");
        var envFolder = Directory.Exists(Path.Combine(root, "environments"))
            ? Path.Combine(root, "environments", SafeName(environment, request))
            : Path.Combine(root, SafeName(environment, request));
        return kind switch
        {
            InfrastructurePartKind.InstanceInfrastructure => Path.Combine(envFolder, SafeName(instance?.GetValueOrDefault("name") as string ?? request.StackName, request)),
            InfrastructurePartKind.Component => Path.Combine(envFolder, SafeName(Name(request.Variables, "component") ?? request.StackName, request)),
            _ => envFolder,
        };
    }

    private static string? Name(IReadOnlyDictionary<string, object?> variables, string ns)
        => (variables.GetValueOrDefault(ns) as IReadOnlyDictionary<string, object?>)?.GetValueOrDefault("name") as string;

    private static string SafeName(string name, DeployRequest request)
        => name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0
            ? throw new ProvisioningException(TerraformErrorCodes.InvalidPath, $"Stack {request.StackName}: '{name}' cannot name a folder.")
            : name;

    internal static string Inside(string root, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (Path.IsPathRooted(relative) || !full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ProvisioningException(TerraformErrorCodes.InvalidPath, $"'{relative}' would be written outside {root}.");
        }

        return full;
    }
}
