using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Provisioning.CodeBuild;

/// <summary>
/// Proton's CodeBuild provisioning: the manifest's <c>provision</c> commands run (and on delete its <c>deprovision</c>
/// commands) with the inputs in <c>proton-inputs.json</c> (or <c>proton-inputs.tfvars</c> for <c>input_type: HCL</c>),
/// <c>RESOURCE_ARN</c>, <c>STACK_NAME</c> and the manifest's <c>env.variables</c>; outputs come back through
/// <c>proton-outputs.json</c>. Where the commands run is the <see cref="ICodeBuildRunner"/>'s business:
/// <see cref="LocalCodeBuildRunner"/> by default, an AWS CodeBuild project with Proton.Sdk.Aws.
/// </summary>
public sealed class CodeBuildProvisioner : IProvisioner
{
    private readonly ICodeBuildRunner _runner;
    private readonly CodeBuildProvisionerOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the provisioner.</summary>
    /// <param name="runner">Where the commands run; a <see cref="LocalCodeBuildRunner"/> with default options when null.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    public CodeBuildProvisioner(ICodeBuildRunner? runner = null, CodeBuildProvisionerOptions? options = null, TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _runner = runner ?? new LocalCodeBuildRunner(null, _time);
        _options = options ?? new CodeBuildProvisionerOptions();
    }

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <summary>The environment variables Proton gave the commands, for a request: <c>RESOURCE_ARN</c> (the resource's <c>proton:*</c> tag, else the stack name), <c>STACK_NAME</c>, then the manifest's <c>env.variables</c> and the options' variables.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The variables.</returns>
    public IReadOnlyDictionary<string, string> EnvironmentVariables(DeployRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string[] tags = request.Part?.Kind switch
        {
            InfrastructurePartKind.InstanceInfrastructure => ["proton:service-instance"],
            InfrastructurePartKind.PipelineInfrastructure => ["proton:service-pipeline", "proton:service"],
            InfrastructurePartKind.Component => ["proton:component"],
            _ => ["proton:environment"],
        };
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["RESOURCE_ARN"] = tags.Select(t => request.Tags.GetValueOrDefault(t)).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? request.StackName,
            ["STACK_NAME"] = request.StackName,
        };
        if (Settings(request)?.GetValueOrDefault("env") is IReadOnlyDictionary<string, object?> e && e.GetValueOrDefault("variables") is IReadOnlyDictionary<string, object?> variables)
        {
            foreach (var (k, v) in variables)
            {
                env[k] = Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }

        foreach (var (k, v) in _options.EnvironmentVariables)
        {
            env[k] = v;
        }

        return env;
    }

    /// <inheritdoc />
    public async Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var commands = Commands(request, "provision");
        if (commands.Count == 0)
        {
            throw new ProvisioningException(CodeBuildErrorCodes.NoCommands, $"Stack {request.StackName}: the CodeBuild manifest has no 'provision' commands.");
        }

        progress?.Report(new ProvisioningEvent(_time.GetUtcNow(), request.StackName, "codebuild", ResourceEventStatus.InProgress, $"provisioning with the {_runner.Name} runner") { Action = ResourceAction.Update, EngineStatus = "IN_PROGRESS" });
        var run = await _runner.RunAsync(Run(request, CodeBuildPhase.Provision, commands), progress, cancellationToken).ConfigureAwait(false);
        var result = Result(request, run, "provision");
        if (result.IsSuccess && run.OutputsFile is { } text)
        {
            try
            {
                var outputs = CodeBuildFiles.ParseOutputs(text).ToDictionary(kv => kv.Key, kv => SecretRedactor.Redact(kv.Value, request.SecretValues), StringComparer.Ordinal);
                result = result with { Outputs = outputs };
            }
            catch (ProvisioningException ex)
            {
                var failure = new ResourceFailure(request.StackName, "codebuild", "FAILED", ex.Message) { File = CodeBuildFiles.OutputsFileName };
                result = result with { Status = ProvisionStatus.Failed, State = StackState.Failed, EngineStatus = "FAILED", Failures = [failure], Message = $"{request.StackName}: {ex.Message}" };
            }
        }

        progress?.Report(new ProvisioningEvent(_time.GetUtcNow(), request.StackName, "codebuild", result.IsSuccess ? ResourceEventStatus.Succeeded : ResourceEventStatus.Failed, result.IsSuccess ? null : result.Message) { Action = ResourceAction.Update, EngineStatus = result.EngineStatus });
        await SaveAsync(request.StackName, new Record(result.State ?? StackState.Failed, result.EngineStatus, result.Outputs, request.DeploymentId)).ConfigureAwait(false);
        return result;
    }

    /// <summary>CodeBuild cannot preview: the plan says the commands will run again (add for a new stack, a possibly-replacing modify for an existing one).</summary>
    /// <param name="request">What would be deployed.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The plan.</returns>
    public async Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var exists = (await LoadAsync(request.StackName, cancellationToken).ConfigureAwait(false))?.State is StackState.Succeeded or StackState.Failed;
        return new StackPlan(request.StackName, exists, [new ResourceChange(exists ? ResourceChangeAction.Modify : ResourceChangeAction.Add, request.StackName, "codebuild") { MayReplace = exists }]);
    }

    /// <summary>A CodeBuild stack is destroyed by its bundle's <c>deprovision</c> commands, so this needs the request; without one, a stack never deployed is a success and any other is refused.</summary>
    /// <param name="stackName">The stack.</param>
    /// <param name="progress">Not used.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Success when there is nothing to destroy.</returns>
    /// <exception cref="ProvisioningException">The stack exists (<see cref="CodeBuildErrorCodes.BundleRequired"/>).</exception>
    public async Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        var record = await LoadAsync(stackName, cancellationToken).ConfigureAwait(false);
        if (record is null || record.State is StackState.Deleted or StackState.NotFound)
        {
            return new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.NotFound, Message = $"{stackName}: nothing to destroy" };
        }

        throw new ProvisioningException(CodeBuildErrorCodes.BundleRequired, $"Stack {stackName}: destroying a CodeBuild stack runs its bundle's deprovision commands; call DestroyAsync with the deploy request.");
    }

    /// <summary>Runs the manifest's <c>deprovision</c> commands (none: nothing to run) and forgets the stack's outputs.</summary>
    /// <param name="request">What was deployed.</param>
    /// <param name="progress">Receives events as they happen.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The outcome.</returns>
    public async Task<ProvisionResult> DestroyAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var commands = Commands(request, "deprovision");
        ProvisionResult result;
        if (commands.Count == 0)
        {
            result = new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Deleted, EngineStatus = "SUCCEEDED", Message = $"{request.StackName}: the manifest has no deprovision commands" };
        }
        else
        {
            var run = await _runner.RunAsync(Run(request, CodeBuildPhase.Deprovision, commands), progress, cancellationToken).ConfigureAwait(false);
            result = Result(request, run, "deprovision");
            if (result.IsSuccess)
            {
                result = result with { State = StackState.Deleted };
            }
        }

        var previous = await LoadAsync(request.StackName, CancellationToken.None).ConfigureAwait(false);
        await SaveAsync(request.StackName, new Record(result.State ?? StackState.Failed, result.EngineStatus, result.IsSuccess ? new Dictionary<string, string>() : previous?.Outputs ?? new Dictionary<string, string>(), request.DeploymentId)).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    public async Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var record = await LoadAsync(stackName, cancellationToken).ConfigureAwait(false);
        return record is null || record.State == StackState.Deleted
            ? null
            : new StackDescription(stackName, record.State) { EngineStatus = record.EngineStatus, Outputs = record.Outputs, LastDeploymentId = record.DeploymentId };
    }

    private static IReadOnlyDictionary<string, object?>? Settings(DeployRequest request) => request.Part?.Templates.FirstOrDefault()?.Settings;

    private static List<string> Commands(DeployRequest request, string key)
    {
        if (request.Part is not { ProvisioningMethod: ProvisioningMethod.CodeBuild })
        {
            throw new ProvisioningException(CodeBuildErrorCodes.NoCodeBuildPart, $"Stack {request.StackName}: the request carries no CodeBuild bundle part (manifest rendering_engine: codebuild).");
        }

        return Settings(request)?.GetValueOrDefault(key) is IEnumerable<object?> list
            ? list.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture)).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c!).ToList()
            : [];
    }

    private CodeBuildRun Run(DeployRequest request, CodeBuildPhase phase, IReadOnlyList<string> commands)
    {
        var part = request.Part!;
        var prefix = part.Folder.Length == 0 ? string.Empty : part.Folder.TrimEnd('/') + "/";
        var inputs = CodeBuildFiles.Inputs(request.Variables, CodeBuildFiles.InputType(part));
        var files = part.Files
            .Select(f => new BundleFile(f.Path.StartsWith(prefix, StringComparison.Ordinal) ? f.Path[prefix.Length..] : f.Path, f.Content))
            .Where(f => f.Path != inputs.Path)
            .Append(inputs)
            .ToList();
        var settings = Settings(request);
        return new CodeBuildRun
        {
            StackName = request.StackName,
            Phase = phase,
            Commands = commands,
            Files = files,
            EnvironmentVariables = EnvironmentVariables(request),
            Image = settings?.GetValueOrDefault("image") as string,
            Runtimes = settings?.GetValueOrDefault("runtimes") is IReadOnlyDictionary<string, object?> r
                ? r.ToDictionary(kv => kv.Key, kv => Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? string.Empty, StringComparer.Ordinal)
                : new Dictionary<string, string>(),
            Timeout = _options.Timeout,
            SecretValues = request.SecretValues,
            DeploymentId = request.DeploymentId,
        };
    }

    private static ProvisionResult Result(DeployRequest request, CodeBuildRunResult run, string what)
    {
        if (run.Status == CodeBuildRunStatus.Succeeded)
        {
            return new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Succeeded, EngineStatus = run.EngineStatus ?? "SUCCEEDED", Message = $"{request.StackName}: {what} commands succeeded" };
        }

        var tail = SecretRedactor.Redact(string.Join("\n", run.LogTail), request.SecretValues);
        var command = SecretRedactor.Redact(run.FailedCommand, request.SecretValues);
        var reason = run.Status switch
        {
            CodeBuildRunStatus.TimedOut => $"timed out{(command is null ? string.Empty : " in `" + command + "`")}",
            CodeBuildRunStatus.Cancelled => $"stopped{(command is null ? string.Empty : " in `" + command + "`")}",
            _ => $"{(command is null ? "a command" : "`" + command + "`")} exited with {run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "an error"}",
        };
        var engine = run.EngineStatus ?? run.Status switch { CodeBuildRunStatus.TimedOut => "TIMED_OUT", CodeBuildRunStatus.Cancelled => "STOPPED", _ => "FAILED" };
        var failure = new ResourceFailure(request.StackName, "codebuild", engine, tail.Length == 0 ? reason : reason + "\n" + tail);
        return new ProvisionResult
        {
            Status = run.Status == CodeBuildRunStatus.Cancelled ? ProvisionStatus.Cancelled : ProvisionStatus.Failed,
            State = StackState.Failed,
            EngineStatus = engine,
            Failures = [failure],
            Message = $"{request.StackName}: {what} {reason}",
        };
    }

    private string RecordPath(string stackName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stackName);
        if (stackName is "." or ".." || stackName.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            throw new ProvisioningException(CodeBuildErrorCodes.InvalidStackName, $"Stack name '{stackName}' cannot name a file.");
        }

        return Path.GetFullPath(Path.Combine(_options.StateDirectory, stackName + ".json"));
    }

    private async Task SaveAsync(string stackName, Record record)
    {
        var path = RecordPath(stackName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(record, Json), CancellationToken.None).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    private async Task<Record?> LoadAsync(string stackName, CancellationToken cancellationToken)
    {
        var path = RecordPath(stackName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Record>(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), Json);
        }
        catch (JsonException ex)
        {
            throw new ProvisioningException(ProvisioningErrorCodes.StateCorrupt, $"{path} is damaged: {ex.Message}", ex);
        }
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    private sealed record Record(StackState State, string? EngineStatus, IReadOnlyDictionary<string, string> Outputs, string? DeploymentId);
}
