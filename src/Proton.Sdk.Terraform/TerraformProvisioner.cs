using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Terraform.Internal;

namespace Proton.Sdk.Terraform;

/// <summary>
/// Provisions Proton's Terraform bundles with the real <c>terraform</c> CLI (OpenTofu's <c>tofu</c> works the same): one working
/// directory per stack under <see cref="TerraformOptions.RootDirectory"/>, written as Proton wrote it
/// (<see cref="TerraformWorkingDirectory"/>); <c>init</c>, <c>plan -out</c>, <c>apply</c> of that plan, <c>destroy</c>, with terraform's
/// <c>-json</c> output turned into neutral events and its diagnostics (file and line) into failures. State stays where the
/// bundle's backend says. With <see cref="TerraformOptions.RepositoryPath"/> set it writes the files into a git working tree
/// instead and waits for an external apply (<see cref="ExternalApply"/>).
/// </summary>
public sealed partial class TerraformProvisioner : IProvisioner
{
    private const string PlanFile = "proton.tfplan";
    private const string StackRecordFile = ".proton-stack.json";
    private readonly TerraformOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the provisioner.</summary>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    public TerraformProvisioner(TerraformOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new TerraformOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <summary>Finds <c>terraform</c>, then <c>tofu</c>, on PATH.</summary>
    /// <returns>The executable's full path, or null when neither is there.</returns>
    public static string? FindExecutable()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        string[] names = OperatingSystem.IsWindows() ? ["terraform.exe", "tofu.exe"] : ["terraform", "tofu"];
        foreach (var name in names)
        {
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The working directory of a stack.</summary>
    /// <param name="stackName">The stack.</param>
    /// <returns>The absolute folder (it may not exist yet).</returns>
    /// <exception cref="ProvisioningException">The name cannot name a folder (<see cref="TerraformErrorCodes.InvalidStackName"/>).</exception>
    public string WorkingDirectory(string stackName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stackName);
        if (stackName is "." or ".." || stackName.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            throw new ProvisioningException(TerraformErrorCodes.InvalidStackName, $"Stack name '{stackName}' cannot name a working directory.");
        }

        return Path.GetFullPath(Path.Combine(_options.RootDirectory, stackName));
    }

    /// <inheritdoc />
    public async Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var files = TerraformWorkingDirectory.Compile(request);
        if (_options.RepositoryPath is { } repository)
        {
            var folder = TerraformWorkingDirectory.RepositoryFolder(request, repository);
            if (Directory.Exists(folder))
            {
                File.Delete(Path.Combine(folder, ExternalApply.DeleteMarkerFile));
            }

            await TerraformWorkingDirectory.WriteAsync(files, folder, cancellationToken).ConfigureAwait(false);
            return new ProvisionResult
            {
                Status = ProvisionStatus.AwaitingExternalApply,
                State = StackState.InProgress,
                EngineStatus = ExternalApply.EngineStatus,
                Message = $"wrote {files.Count} files to {Path.GetRelativePath(Path.GetFullPath(repository), folder)}; waiting for an external terraform apply",
            };
        }

        var dir = WorkingDirectory(request.StackName);
        await TerraformWorkingDirectory.WriteAsync(files, dir, cancellationToken).ConfigureAwait(false);
        var secrets = request.SecretValues;
        var cli = Cli(dir);
        if (await InitAsync(cli, request.StackName, secrets, cancellationToken).ConfigureAwait(false) is { } initFailed)
        {
            return await RecordAsync(dir, initFailed, request.DeploymentId).ConfigureAwait(false);
        }

        var planUi = new TerraformUi(request.StackName, secrets, progress, _time);
        var plan = await cli.RunAsync(["plan", "-input=false", "-no-color", "-json", "-out=" + PlanFile], planUi.OnLine, cancellationToken).ConfigureAwait(false);
        if (plan.Cancelled)
        {
            DeletePlan(dir);
            return await RecordAsync(dir, Cancelled(request.StackName, "plan"), request.DeploymentId).ConfigureAwait(false);
        }

        if (plan.ExitCode != 0)
        {
            DeletePlan(dir);
            return await RecordAsync(dir, Failed(request.StackName, "plan_errored", planUi.Failures, plan, secrets), request.DeploymentId).ConfigureAwait(false);
        }

        if (planUi.SawSummary && planUi.Changes == 0 && !planUi.OutputsChange)
        {
            DeletePlan(dir);
            var current = await OutputsAsync(cli, secrets, cancellationToken).ConfigureAwait(false);
            return await RecordAsync(dir, new ProvisionResult { Status = ProvisionStatus.NoChanges, State = StackState.Succeeded, EngineStatus = "no_changes", Outputs = current, Message = $"{request.StackName}: no changes" }, request.DeploymentId).ConfigureAwait(false);
        }

        var applyUi = new TerraformUi(request.StackName, secrets, progress, _time);
        var apply = await cli.RunAsync(["apply", "-input=false", "-no-color", "-json", "-auto-approve", PlanFile], applyUi.OnLine, cancellationToken).ConfigureAwait(false);
        DeletePlan(dir);
        if (apply.Cancelled)
        {
            return await RecordAsync(dir, Cancelled(request.StackName, "apply"), request.DeploymentId).ConfigureAwait(false);
        }

        if (apply.ExitCode != 0)
        {
            return await RecordAsync(dir, Failed(request.StackName, "apply_errored", applyUi.Failures, apply, secrets), request.DeploymentId).ConfigureAwait(false);
        }

        var outputs = await OutputsAsync(cli, secrets, cancellationToken).ConfigureAwait(false);
        return await RecordAsync(dir, new ProvisionResult
        {
            Status = ProvisionStatus.Succeeded,
            State = StackState.Succeeded,
            EngineStatus = "apply_complete",
            Outputs = outputs,
            Message = SecretRedactor.Redact(applyUi.Summary, secrets) ?? $"{request.StackName}: applied",
        }, request.DeploymentId).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var files = TerraformWorkingDirectory.Compile(request);
        var dir = WorkingDirectory(request.StackName);
        await TerraformWorkingDirectory.WriteAsync(files, dir, cancellationToken).ConfigureAwait(false);
        var cli = Cli(dir);
        if (await InitAsync(cli, request.StackName, request.SecretValues, cancellationToken).ConfigureAwait(false) is { } initFailed)
        {
            throw PlanFailed(request.StackName, initFailed.Failures);
        }

        var ui = new TerraformUi(request.StackName, request.SecretValues, null, _time);
        const string planOnly = "proton-preview.tfplan";
        try
        {
            var plan = await cli.RunAsync(["plan", "-input=false", "-no-color", "-json", "-out=" + planOnly], ui.OnLine, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (plan.ExitCode != 0)
            {
                throw PlanFailed(request.StackName, ui.Failures.Count > 0 ? ui.Failures : [TailFailure(request.StackName, "plan_errored", plan, request.SecretValues)]);
            }

            var show = await cli.RunAsync(["show", "-json", "-no-color", planOnly], null, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var json = Parse(show, request.StackName);
            var prior = json["prior_state"]?["values"];
            var exists = prior?["root_module"]?["resources"] is JsonArray { Count: > 0 }
                || (await ReadRecordAsync(dir, cancellationToken).ConfigureAwait(false))?.State == StackState.Succeeded;
            var changes = new List<ResourceChange>();
            foreach (var rc in json["resource_changes"] as JsonArray ?? [])
            {
                var actions = (rc?["change"]?["actions"] as JsonArray ?? []).Select(a => (string?)a).ToList();
                ResourceChangeAction? action = actions switch
                {
                    ["create"] => ResourceChangeAction.Add,
                    ["update"] => ResourceChangeAction.Modify,
                    ["delete"] => ResourceChangeAction.Remove,
                    ["delete", "create"] or ["create", "delete"] => ResourceChangeAction.Replace,
                    _ => null,
                };
                if (action is { } a)
                {
                    changes.Add(new ResourceChange(a, (string?)rc?["address"] ?? "?", (string?)rc?["type"] ?? "terraform"));
                }
            }

            return new StackPlan(request.StackName, exists, changes);
        }
        finally
        {
            File.Delete(Path.Combine(dir, planOnly));
        }
    }

    /// <inheritdoc />
    public Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
        => DestroyCoreAsync(stackName, [], progress, cancellationToken);

    /// <summary>
    /// Destroys what <paramref name="request"/> deployed: the working directory is rewritten from the request first (so the
    /// configuration and variables match), then <c>terraform destroy</c> runs. In "pull request" mode the folder is marked
    /// for deletion (<see cref="ExternalApply.DeleteMarkerFile"/>) and the result waits for an external destroy.
    /// </summary>
    /// <param name="request">What was deployed.</param>
    /// <param name="progress">Receives events as they happen.</param>
    /// <param name="cancellationToken">Cancels the destroy (terraform is interrupted and waited for).</param>
    /// <returns>The outcome.</returns>
    public async Task<ProvisionResult> DestroyAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_options.RepositoryPath is { } repository)
        {
            var folder = TerraformWorkingDirectory.RepositoryFolder(request, repository);
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, ExternalApply.DeleteMarkerFile), $"{request.StackName}\n", cancellationToken).ConfigureAwait(false);
            return new ProvisionResult
            {
                Status = ProvisionStatus.AwaitingExternalApply,
                State = StackState.InProgress,
                EngineStatus = ExternalApply.DestroyEngineStatus,
                Message = $"marked {Path.GetRelativePath(Path.GetFullPath(repository), folder)} for deletion; waiting for an external terraform destroy",
            };
        }

        if (request.Part is not null)
        {
            await TerraformWorkingDirectory.WriteAsync(TerraformWorkingDirectory.Compile(request), WorkingDirectory(request.StackName), cancellationToken).ConfigureAwait(false);
        }

        return await DestroyCoreAsync(request.StackName, request.SecretValues, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var dir = WorkingDirectory(stackName);
        if (!Directory.Exists(dir))
        {
            return null;
        }

        var record = await ReadRecordAsync(dir, cancellationToken).ConfigureAwait(false);
        var cli = Cli(dir);
        if (!Directory.Exists(Path.Combine(dir, ".terraform")) && await InitAsync(cli, stackName, [], cancellationToken).ConfigureAwait(false) is { } failed)
        {
            throw new ProvisioningException(ProvisioningErrorCodes.StateCorrupt, $"Stack {stackName}: terraform init failed: {string.Join("; ", failed.Failures)}");
        }

        var show = await cli.RunAsync(["show", "-json", "-no-color"], null, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var values = Parse(show, stackName)["values"];
        var resources = values?["root_module"]?["resources"] as JsonArray;
        var outputs = Outputs(values?["outputs"] as JsonObject, []);
        if ((resources is null || resources.Count == 0) && outputs.Count == 0 && record?.State != StackState.Succeeded)
        {
            return null;
        }

        return new StackDescription(stackName, record?.State ?? StackState.Succeeded)
        {
            EngineStatus = record?.EngineStatus,
            Outputs = outputs,
            LastDeploymentId = record?.DeploymentId,
        };
    }

    private async Task<ProvisionResult> DestroyCoreAsync(string stackName, IReadOnlyCollection<string> secrets, IProgress<ProvisioningEvent>? progress, CancellationToken cancellationToken)
    {
        var dir = WorkingDirectory(stackName);
        if (!Directory.Exists(dir))
        {
            return new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.NotFound, Message = $"{stackName}: no working directory, nothing to destroy" };
        }

        var cli = Cli(dir);
        if (await InitAsync(cli, stackName, secrets, cancellationToken).ConfigureAwait(false) is { } initFailed)
        {
            return initFailed;
        }

        var ui = new TerraformUi(stackName, secrets, progress, _time);
        var run = await cli.RunAsync(["destroy", "-input=false", "-no-color", "-json", "-auto-approve"], ui.OnLine, cancellationToken).ConfigureAwait(false);
        var record = await ReadRecordAsync(dir, CancellationToken.None).ConfigureAwait(false);
        if (run.Cancelled)
        {
            return await RecordAsync(dir, Cancelled(stackName, "destroy"), record?.DeploymentId).ConfigureAwait(false);
        }

        if (run.ExitCode != 0)
        {
            return await RecordAsync(dir, Failed(stackName, "destroy_errored", ui.Failures, run, secrets), record?.DeploymentId).ConfigureAwait(false);
        }

        return await RecordAsync(dir, new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Deleted, EngineStatus = "destroy_complete", Message = SecretRedactor.Redact(ui.Summary, secrets) ?? $"{stackName}: destroyed" }, record?.DeploymentId).ConfigureAwait(false);
    }

    private TerraformCli Cli(string dir)
    {
        var executable = _options.ExecutablePath ?? FindExecutable()
            ?? throw new ProvisioningException(TerraformErrorCodes.ExecutableNotFound, "No terraform (or tofu) executable: install one on PATH or set TerraformOptions.ExecutablePath.");
        return new TerraformCli(executable, dir, new Dictionary<string, string>(_options.EnvironmentVariables, StringComparer.Ordinal), _options.CancelGracePeriod, _time, _options.LogTailLines);
    }

    private async Task<ProvisionResult?> InitAsync(TerraformCli cli, string stackName, IReadOnlyCollection<string> secrets, CancellationToken cancellationToken)
    {
        var init = await cli.RunAsync(["init", "-input=false", "-no-color", .. _options.InitArguments], null, cancellationToken).ConfigureAwait(false);
        if (init.Cancelled)
        {
            return Cancelled(stackName, "init");
        }

        return init.ExitCode == 0 ? null : Failed(stackName, "init_errored", TextDiagnostics(stackName, init.StderrTail, secrets), init, secrets);
    }

    private async Task<IReadOnlyDictionary<string, string>> OutputsAsync(TerraformCli cli, IReadOnlyCollection<string> secrets, CancellationToken cancellationToken)
    {
        var run = await cli.RunAsync(["output", "-json", "-no-color"], null, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return run.ExitCode == 0 && run.Stdout.Trim().Length > 0 ? Outputs(Parse(run, "outputs") as JsonObject, secrets) : new Dictionary<string, string>();
    }

    /// <summary>Terraform outputs as Proton's strings: strings as they are, anything else as compact JSON.</summary>
    internal static IReadOnlyDictionary<string, string> Outputs(JsonObject? outputs, IReadOnlyCollection<string> secrets)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, o) in outputs ?? [])
        {
            var value = o?["value"];
            result[name] = SecretRedactor.Redact(value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value?.ToJsonString() ?? "null", secrets);
        }

        return result;
    }

    private static JsonNode Parse(CliRun run, string what)
    {
        try
        {
            return JsonNode.Parse(run.Stdout) ?? new JsonObject();
        }
        catch (JsonException ex)
        {
            throw new ProvisioningException(TerraformErrorCodes.UnreadableOutput, $"{what}: terraform's JSON output could not be read (exit {run.ExitCode}): {ex.Message}", ex);
        }
    }

    private static ProvisionResult Cancelled(string stackName, string step)
        => new() { Status = ProvisionStatus.Cancelled, State = StackState.Failed, EngineStatus = "cancelled", Message = $"{stackName}: cancelled during terraform {step}; terraform was interrupted and has exited" };

    private ProvisionResult Failed(string stackName, string engineStatus, IReadOnlyList<ResourceFailure> failures, CliRun run, IReadOnlyCollection<string> secrets)
    {
        var list = failures.Count > 0 ? failures : [TailFailure(stackName, engineStatus, run, secrets)];
        return new ProvisionResult
        {
            Status = ProvisionStatus.Failed,
            State = StackState.Failed,
            EngineStatus = engineStatus,
            Failures = list,
            Message = $"{stackName}: {engineStatus}: {list[0]}",
        };
    }

    private static ResourceFailure TailFailure(string stackName, string engineStatus, CliRun run, IReadOnlyCollection<string> secrets)
        => new(stackName, "terraform", engineStatus, SecretRedactor.Redact($"terraform exited with {run.ExitCode}: {string.Join("\n", run.StderrTail).Trim()}", secrets));

    /// <summary>Terraform's human-readable errors (<c>Error: summary</c> ... <c>on file line N</c>) as failures.</summary>
    internal static IReadOnlyList<ResourceFailure> TextDiagnostics(string stackName, IReadOnlyList<string> lines, IReadOnlyCollection<string> secrets)
    {
        var failures = new List<ResourceFailure>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (!lines[i].TrimStart('│', ' ').StartsWith("Error: ", StringComparison.Ordinal))
            {
                continue;
            }

            var summary = lines[i].TrimStart('│', ' ')["Error: ".Length..].Trim();
            string? file = null;
            int? line = null;
            var detail = new List<string>();
            for (var j = i + 1; j < lines.Count && !lines[j].TrimStart('│', ' ').StartsWith("Error: ", StringComparison.Ordinal); j++)
            {
                var text = lines[j].TrimStart('│', ' ');
                if (OnLine().Match(text) is { Success: true } m)
                {
                    file = m.Groups[1].Value;
                    line = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (text.Length > 0 && !char.IsDigit(text[0]))
                {
                    detail.Add(text);
                }
            }

            var reason = detail.Count == 0 ? summary : summary + ": " + string.Join(" ", detail);
            failures.Add(new ResourceFailure(stackName, "terraform", "error", SecretRedactor.Redact(reason, secrets)) { File = file, Line = line });
        }

        return failures;
    }

    private static ProvisioningException PlanFailed(string stackName, IReadOnlyList<ResourceFailure> failures)
        => new(ProvisioningErrorCodes.PlanFailed, $"Stack {stackName}: terraform plan failed: {string.Join("; ", failures)}");

    private static void DeletePlan(string dir) => File.Delete(Path.Combine(dir, PlanFile));

    private static async Task<ProvisionResult> RecordAsync(string dir, ProvisionResult result, string? deploymentId)
    {
        var record = new StackRecord(result.State, result.EngineStatus, deploymentId);
        await File.WriteAllTextAsync(Path.Combine(dir, StackRecordFile), JsonSerializer.Serialize(record, RecordJson), CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    private static async Task<StackRecord?> ReadRecordAsync(string dir, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dir, StackRecordFile);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StackRecord>(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), RecordJson);
        }
        catch (JsonException ex)
        {
            throw new ProvisioningException(ProvisioningErrorCodes.StateCorrupt, $"{path} is damaged: {ex.Message}", ex);
        }
    }

    private static readonly JsonSerializerOptions RecordJson = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    [GeneratedRegex(@"^on (.+?) line (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex OnLine();

    private sealed record StackRecord(StackState? State, string? EngineStatus, string? DeploymentId);
}
