using System.Text.Json;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Platform;

/// <summary>Deployments: recording, locking, running, cancelling, reconciling and rolling back.</summary>
public sealed partial class ProtonPlatform
{
    /// <summary>Reads a deployment.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The deployment or null.</returns>
    public async Task<DeploymentRecord?> GetDeploymentAsync(string id, CancellationToken cancellationToken = default)
        => (await ReadAsync<DeploymentRecord>(Deployments, id, cancellationToken).ConfigureAwait(false))?.Value;

    /// <summary>Lists deployments, oldest first, optionally of one environment, service or instance.</summary>
    /// <param name="environmentName">Only this environment's own deployments and those of instances in it.</param>
    /// <param name="serviceName">Only this service's instances and pipeline.</param>
    /// <param name="instanceName">With <paramref name="serviceName"/>: only this instance.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The deployments.</returns>
    public async Task<IReadOnlyList<DeploymentRecord>> ListDeploymentsAsync(string? environmentName = null, string? serviceName = null, string? instanceName = null, CancellationToken cancellationToken = default)
        => (await ListAsync<DeploymentRecord>(Deployments, null, cancellationToken).ConfigureAwait(false))
            .Where(d => (environmentName is null || d.EnvironmentName == environmentName)
                && (serviceName is null || d.ServiceName == serviceName)
                && (instanceName is null || d.InstanceName == instanceName))
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();

    /// <summary>Cancels a deployment that runs in this platform instance (Proton's <c>Cancel*Deployment</c>).</summary>
    /// <param name="id">The deployment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deployment, now <see cref="DeploymentStatus.Cancelling"/>; the running call records the outcome.</returns>
    /// <exception cref="PlatformException"><c>platform.not-cancellable</c> when it has finished or runs elsewhere.</exception>
    public async Task<DeploymentRecord> CancelDeploymentAsync(string id, CancellationToken cancellationToken = default)
    {
        var d = await GetDeploymentAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound("deployment", id);
        if (d.IsFinished)
        {
            throw new PlatformException(PlatformErrorCodes.NotCancellable, $"Deployment {id} of {d.Target} has finished ({d.Status}).");
        }

        if (!_running.TryGetValue(id, out var cts))
        {
            throw new PlatformException(PlatformErrorCodes.NotCancellable, $"Deployment {id} of {d.Target} is not running in this process; if its process is gone, ReconcileAsync completes it from the stack's real state.");
        }

        var updated = await UpdateDeploymentAsync(id, r => r.IsFinished ? r : r with { Status = DeploymentStatus.Cancelling, LastModifiedAt = _time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        return updated;
    }

    /// <summary>
    /// Completes deployments left in progress by a process that stopped (a crash, a killed CI job) from the provisioner's real
    /// state: a stack that reached its goal for that deployment succeeds, a failed or missing one fails, one still running is left.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deployments it completed.</returns>
    public async Task<IReadOnlyList<DeploymentRecord>> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var done = new List<DeploymentRecord>();
        foreach (var d in await ListDeploymentsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (d.IsFinished || _running.ContainsKey(d.Id))
            {
                continue;
            }

            var target = TargetOf(d);
            var current = (await ReadTargetAsync(target, cancellationToken).ConfigureAwait(false)).Record;
            ProvisionResult result;
            if (current?.LastAttemptedDeploymentId != d.Id)
            {
                result = new ProvisionResult { Status = ProvisionStatus.Failed, Message = "interrupted before it started; the target was not changed" };
                var failed = await UpdateDeploymentAsync(d.Id, r => r.IsFinished ? r : Finish(r, result, d.IsDelete), cancellationToken).ConfigureAwait(false);
                done.Add(failed);
                continue;
            }

            var stack = d.StackName is null ? null : await Provisioner.DescribeAsync(d.StackName, cancellationToken).ConfigureAwait(false);
            if (stack is { IsInProgress: true })
            {
                continue;
            }

            if (d.IsDelete)
            {
                result = stack is null || d.StackName is null
                    ? new ProvisionResult { Status = ProvisionStatus.Succeeded, Message = "reconciled: the stack is gone" }
                    : new ProvisionResult { Status = ProvisionStatus.Failed, State = stack.State, EngineStatus = stack.EngineStatus, Message = $"reconciled: interrupted; stack {d.StackName} is still there ({stack.DisplayStatus})" };
            }
            else if (stack is null)
            {
                result = new ProvisionResult { Status = ProvisionStatus.Failed, Message = $"reconciled: interrupted; stack {d.StackName} does not exist" };
            }
            else if (stack.IsStable && (stack.LastDeploymentId is null || stack.LastDeploymentId == d.Id))
            {
                result = new ProvisionResult { Status = ProvisionStatus.Succeeded, State = stack.State, EngineStatus = stack.EngineStatus, Outputs = stack.Outputs, Message = $"reconciled: stack {d.StackName} is {stack.DisplayStatus}" };
            }
            else
            {
                result = new ProvisionResult
                {
                    Status = ProvisionStatus.Failed,
                    State = stack.State, EngineStatus = stack.EngineStatus,
                    Message = stack.IsStable
                        ? $"reconciled: interrupted before the stack changed; {d.StackName} still runs the previous deployment"
                        : $"reconciled: stack {d.StackName} is {stack.DisplayStatus}{(stack.StatusReason is null ? string.Empty : ": " + stack.StatusReason)}",
                };
            }

            var reconciled = await CompleteAsync(target, d, result, null, cancellationToken).ConfigureAwait(false);
            Log.Reconciled(_logger, reconciled.Id, reconciled.Target, reconciled.Status.ToString());
            done.Add(reconciled);
        }

        return done;
    }

    /// <summary>
    /// Redeploys the state (template version and inputs) of an earlier successful deployment of the same target, as a new
    /// deployment; Proton never offered this. Secret inputs are never stored, so a state with secrets needs them again.
    /// </summary>
    /// <param name="deploymentId">The earlier successful deployment.</param>
    /// <param name="secretInputs">Values of secret inputs, when the state has any.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployment.</param>
    /// <returns>The new deployment, with <see cref="DeploymentRecord.RollbackOf"/> set.</returns>
    public async Task<DeploymentRecord> RollbackAsync(string deploymentId, IReadOnlyDictionary<string, object?>? secretInputs = null, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var earlier = await GetDeploymentAsync(deploymentId, cancellationToken).ConfigureAwait(false) ?? throw NotFound("deployment", deploymentId);
        if (earlier.Status != DeploymentStatus.Succeeded || earlier.TargetState is null || earlier.IsDelete)
        {
            throw new PlatformException(PlatformErrorCodes.InvalidRollback, $"Deployment {deploymentId} of {earlier.Target} is {(earlier.IsDelete ? "a delete" : earlier.Status.ToString())}; a rollback restores a succeeded deployment.");
        }

        var state = earlier.TargetState;
        var version = await Registry.GetVersionAsync(state.TemplateName, state.TemplateVersion, cancellationToken).ConfigureAwait(false)
            ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"Rolling back to {deploymentId}: {state.TemplateName} {state.TemplateVersion} is no longer in the registry.");
        var inputs = new Dictionary<string, object?>(state.Inputs, StringComparer.Ordinal);
        foreach (var (k, v) in secretInputs ?? new Dictionary<string, object?>())
        {
            inputs[k] = v;
        }

        switch (earlier.TargetType)
        {
            case DeploymentTargetType.Environment:
                var env = await GetEnvironmentAsync(earlier.EnvironmentName!, cancellationToken).ConfigureAwait(false) ?? throw NotFound("environment", earlier.EnvironmentName!);
                return await DeployEnvironmentAsync(env, version, inputs, null, deploymentId, progress, cancellationToken).ConfigureAwait(false);
            case DeploymentTargetType.ServiceInstance:
                var instance = await GetServiceInstanceAsync(earlier.ServiceName!, earlier.InstanceName!, cancellationToken).ConfigureAwait(false) ?? throw NotFound("service instance", earlier.Target);
                return await DeployInstanceAsync(instance, version, inputs, null, deploymentId, progress, cancellationToken).ConfigureAwait(false);
            default:
                var service = await GetServiceAsync(earlier.ServiceName!, cancellationToken).ConfigureAwait(false) ?? throw NotFound("service", earlier.ServiceName!);
                return await DeployPipelineAsync(service, version, inputs, null, deploymentId, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    async ValueTask<IReadOnlyList<string>> ITemplateUsage.GetUsersAsync(string templateName, SemanticVersion version, CancellationToken cancellationToken)
    {
        var users = new List<string>();
        bool On(DeployableRecord r) => r.TemplateName == templateName && SemanticVersion.Parse(r.TemplateVersion) == version;
        users.AddRange((await ListEnvironmentsAsync(cancellationToken).ConfigureAwait(false)).Where(On).Select(e => "environment/" + e.Name));
        users.AddRange((await ListAllInstancesAsync(cancellationToken).ConfigureAwait(false)).Where(On).Select(i => $"service/{i.ServiceName}/service-instance/{i.Name}"));
        users.AddRange((await ListServicesAsync(cancellationToken).ConfigureAwait(false)).Where(s => s.Pipeline is { } p && On(p)).Select(s => $"service/{s.Name}/pipeline"));
        return users;
    }

    // ---------------------------------------------------------------- the deployment engine

    /// <summary>
    /// Records the deployment, claims the target (the lock), provisions, and records the outcome on both. A claim that
    /// loses (the target is busy) removes the deployment record again and throws <c>platform.conflict</c>.
    /// </summary>
    private async Task<DeploymentRecord> ExecuteAsync(TargetRef target, DeploymentRecord deployment, DeployRequest? request, DeployableRecord? create, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken, bool destroyStack = true, Func<DeployableRecord, DeployableRecord>? onSuccess = null)
    {
        var now = _time.GetUtcNow();
        if (request is not null && _options.PermissionCheck is { } check)
        {
            var needed = await new Policies.PolicyBuilder(check.Source).BuildAsync([request.TemplateBody], create is null ? Policies.StackOperations.Update : Policies.StackOperations.Create, cancellationToken).ConfigureAwait(false);
            var verdict = Policies.PolicyChecker.Check(check.RolePolicyJson, needed.Actions);
            if (!verdict.IsSufficient)
            {
                Log.DeploymentRefused(_logger, target.Display, "missing permissions: " + string.Join(", ", verdict.Missing.Concat(verdict.Denied)));
                throw new PlatformException(PlatformErrorCodes.MissingPermissions, $"{target.Kind} {target.Display}: the provisioning role's policy lacks {string.Join(", ", verdict.Missing.Concat(verdict.Denied.Select(d => d + " (denied)")))}; nothing was deployed.");
            }
        }

        await PutAsync(Deployments, deployment.Id, deployment, null, cancellationToken).ConfigureAwait(false);
        try
        {
            await UpdateTargetAsync(target, current =>
            {
                if (create is not null)
                {
                    if (current is not null)
                    {
                        throw new PlatformException(PlatformErrorCodes.AlreadyExists, $"{target.Kind} {target.Display} exists already.");
                    }

                    current = create;
                }
                else if (current is null)
                {
                    throw NotFound(target.Kind, target.Display);
                }
                else if (current.IsBusy)
                {
                    throw new PlatformException(PlatformErrorCodes.Conflict, $"{target.Kind} {target.Display} is busy with deployment {current.LastAttemptedDeploymentId} ({current.DeploymentStatus}); wait for it or cancel it.");
                }

                return current with
                {
                    DeploymentStatus = deployment.IsDelete ? DeploymentStatus.DeleteInProgress : DeploymentStatus.InProgress,
                    DeploymentStatusMessage = null,
                    LastAttemptedDeploymentId = deployment.Id,
                    LastDeploymentAttemptedAt = now,
                };
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await DeleteRecordAsync(Deployments, deployment.Id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        using var activity = ProtonDiagnostics.Source.StartActivity("proton.deployment");
        activity?.SetTag("proton.deployment.id", deployment.Id);
        activity?.SetTag("proton.target", target.Display);
        activity?.SetTag("proton.target.type", target.Type.ToString());
        activity?.SetTag("proton.template", deployment.TargetState?.TemplateName ?? deployment.InitialState?.TemplateName);
        activity?.SetTag("proton.template.version", deployment.TargetState?.TemplateVersion);
        Log.DeploymentStarted(_logger, deployment.Id, target.Kind, target.Display, deployment.IsDelete ? "delete" : deployment.UpdateType?.ToString() ?? "create", deployment.TargetState?.TemplateName ?? deployment.InitialState?.TemplateName, deployment.TargetState?.TemplateVersion, Provisioner.Name);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _running[deployment.Id] = cts;
        ProvisionResult result;
        try
        {
            progress?.Report(new DeploymentProgress(deployment.Id, target.Display, deployment.IsDelete ? $"deleting {target.Kind} {target.Display}" : $"deploying {target.Kind} {target.Display} ({deployment.TargetState?.TemplateName} {deployment.TargetState?.TemplateVersion})"));
            var events = new ForwardProgress(progress, deployment.Id, target.Display, _logger);
            if (request is not null)
            {
                result = await Provisioner.DeployAsync(request with { DeploymentId = deployment.Id }, events, cts.Token).ConfigureAwait(false);
            }
            else if (destroyStack && deployment.StackName is not null)
            {
                result = await Provisioner.DestroyAsync(deployment.StackName, events, cts.Token).ConfigureAwait(false);
            }
            else
            {
                result = new ProvisionResult { Status = ProvisionStatus.Succeeded, Message = "nothing to destroy" };
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            result = new ProvisionResult { Status = ProvisionStatus.Cancelled, Message = "cancelled" };
        }
#pragma warning disable CA1031 // A provisioner that throws must not leave the target locked: the failure is recorded.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            result = new ProvisionResult { Status = ProvisionStatus.Failed, Message = ex is ProtonException pe ? $"{pe.ErrorCode}: {pe.Message}" : $"{ex.GetType().Name}: {ex.Message}" };
        }
        finally
        {
            _running.TryRemove(deployment.Id, out _);
        }

        var finished = await CompleteAsync(target, deployment, result, onSuccess, CancellationToken.None).ConfigureAwait(false);
        var seconds = (finished.CompletedAt - finished.CreatedAt)?.TotalSeconds ?? 0;
        activity?.SetTag("proton.deployment.status", finished.Status.ToString());
        activity?.SetStatus(finished.Status is DeploymentStatus.Succeeded or DeploymentStatus.DeleteComplete ? System.Diagnostics.ActivityStatusCode.Ok : System.Diagnostics.ActivityStatusCode.Error);
        ProtonDiagnostics.Deployments.Add(1, new KeyValuePair<string, object?>("target_type", target.Type.ToString()), new KeyValuePair<string, object?>("status", finished.Status.ToString()));
        ProtonDiagnostics.DeploymentDuration.Record(seconds, new KeyValuePair<string, object?>("target_type", target.Type.ToString()));
        if (finished.Status is DeploymentStatus.Failed or DeploymentStatus.DeleteFailed)
        {
            Log.DeploymentFailed(_logger, finished.Id, target.Display, finished.StatusMessage);
        }

        Log.DeploymentFinished(_logger, finished.Id, target.Display, finished.Status.ToString(), seconds, finished.StatusMessage);
        progress?.Report(new DeploymentProgress(deployment.Id, target.Display, $"{target.Kind} {target.Display}: {finished.Status}{(finished.StatusMessage is null ? string.Empty : " - " + finished.StatusMessage)}"));
        return finished;
    }

    /// <summary>
    /// Writes a deployment's outcome to the target, then to the deployment record. The first outcome wins: a deployment
    /// that reconcile (or another host) has finished already is returned as it is, and its target is not touched.
    /// </summary>
    private async Task<DeploymentRecord> CompleteAsync(TargetRef target, DeploymentRecord deployment, ProvisionResult result, Func<DeployableRecord, DeployableRecord>? onSuccess, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var dependents = new List<string>();
        var success = result.IsSuccess;
        await UpdateTargetAsync(target, current =>
        {
            if (current is null || current.LastAttemptedDeploymentId != deployment.Id || !current.IsBusy)
            {
                return current;
            }

            if (deployment.IsDelete)
            {
                return success ? null : current with { DeploymentStatus = DeploymentStatus.DeleteFailed, DeploymentStatusMessage = Message(result) };
            }

            if (!success)
            {
                return current with
                {
                    DeploymentStatus = result.Status == ProvisionStatus.Cancelled ? DeploymentStatus.Cancelled : DeploymentStatus.Failed,
                    DeploymentStatusMessage = Message(result),
                };
            }

            var updated = current with
            {
                TemplateName = deployment.TargetState!.TemplateName,
                TemplateVersion = deployment.TargetState.TemplateVersion,
                Inputs = deployment.TargetState.Inputs,
                Outputs = result.Outputs,
                DeploymentStatus = DeploymentStatus.Succeeded,
                DeploymentStatusMessage = null,
                LastSucceededDeploymentId = deployment.Id,
                LastDeploymentSucceededAt = now,
            };
            if (updated is EnvironmentRecord env && !SameOutputs(current.Outputs, result.Outputs, current.LastSucceededDeploymentId is null))
            {
                updated = env with { OutputsDeploymentId = deployment.Id };
            }

            return onSuccess is null ? updated : onSuccess(updated);
        }, cancellationToken).ConfigureAwait(false);

        if (success && !deployment.IsDelete && target.Type == DeploymentTargetType.Environment)
        {
            dependents.AddRange((await GetInstancesNeedingRedeployAsync(target.Key, cancellationToken).ConfigureAwait(false)).Select(i => i.ServiceName + "/" + i.Name));
        }

        return await UpdateDeploymentAsync(deployment.Id, r => r.IsFinished ? r : Finish(r, result, deployment.IsDelete) with { DependentsToRedeploy = dependents }, cancellationToken).ConfigureAwait(false);
    }

    private DeploymentRecord Finish(DeploymentRecord r, ProvisionResult result, bool isDelete)
    {
        var now = _time.GetUtcNow();
        var status = result.Status switch
        {
            ProvisionStatus.Succeeded or ProvisionStatus.NoChanges => isDelete ? DeploymentStatus.DeleteComplete : DeploymentStatus.Succeeded,
            ProvisionStatus.Cancelled => DeploymentStatus.Cancelled,
            _ => isDelete ? DeploymentStatus.DeleteFailed : DeploymentStatus.Failed,
        };
        return r with
        {
            Status = status,
            StatusMessage = Message(result),
            Failures = result.Failures,
            Outputs = result.IsSuccess && !isDelete ? result.Outputs : r.Outputs,
            LastModifiedAt = now,
            CompletedAt = now,
        };
    }

    private static string? Message(ProvisionResult result)
        => result.Failures.Count > 0 ? $"{result.Message}; root cause: {string.Join("; ", result.Failures.Select(f => f.ToString()))}" : result.Message;

    private static bool SameOutputs(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b, bool first)
        => !first && a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private sealed class ForwardProgress(IProgress<DeploymentProgress>? inner, string id, string target, Microsoft.Extensions.Logging.ILogger logger) : IProgress<ProvisioningEvent>
    {
        public void Report(ProvisioningEvent value)
        {
            Log.ProvisioningEvent(logger, target, value.Resource, value.ResourceType, value.EngineStatus ?? value.Status.ToString());
            inner?.Report(new DeploymentProgress(id, target, value.ToString(), value));
        }
    }

    // ---------------------------------------------------------------- targets and records

    internal sealed record TargetRef(DeploymentTargetType Type, string Collection, string Key, string Display, string? Environment, string? Service, string? Instance)
    {
        public string Kind => Type switch
        {
            DeploymentTargetType.Environment => "environment",
            DeploymentTargetType.ServiceInstance => "service instance",
            _ => "pipeline of service",
        };
    }

    private static TargetRef EnvironmentTarget(string name) => new(DeploymentTargetType.Environment, Environments, name, name, name, null, null);

    private static TargetRef InstanceTarget(string service, string instance, string? environment)
        => new(DeploymentTargetType.ServiceInstance, Instances, InstanceKey(service, instance), $"{service}/{instance}", environment, service, instance);

    private static TargetRef PipelineTarget(string service) => new(DeploymentTargetType.ServicePipeline, Services, service, service, null, service, null);

    private static TargetRef TargetOf(DeploymentRecord d) => d.TargetType switch
    {
        DeploymentTargetType.Environment => EnvironmentTarget(d.EnvironmentName!),
        DeploymentTargetType.ServiceInstance => InstanceTarget(d.ServiceName!, d.InstanceName!, d.EnvironmentName),
        _ => PipelineTarget(d.ServiceName!),
    };

    private static string InstanceKey(string service, string instance) => service + "@" + instance;

    private async Task<(DeployableRecord? Record, StoredRecord? Raw)> ReadTargetAsync(TargetRef target, CancellationToken cancellationToken)
    {
        var raw = await _store.GetAsync(target.Collection, target.Key, cancellationToken).ConfigureAwait(false);
        if (raw is null)
        {
            return (null, null);
        }

        DeployableRecord? record = target.Type switch
        {
            DeploymentTargetType.Environment => Deserialize<EnvironmentRecord>(raw),
            DeploymentTargetType.ServiceInstance => Deserialize<ServiceInstanceRecord>(raw),
            _ => Deserialize<ServiceRecord>(raw).Pipeline,
        };
        return (record, raw);
    }

    /// <summary>Read-modify-write of a target with optimistic concurrency; <paramref name="change"/> returns null to delete and runs again after a lost race.</summary>
    private async Task UpdateTargetAsync(TargetRef target, Func<DeployableRecord?, DeployableRecord?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (current, raw) = await ReadTargetAsync(target, cancellationToken).ConfigureAwait(false);
            if (raw is null && target.Type == DeploymentTargetType.ServicePipeline)
            {
                throw NotFound("service", target.Service!);
            }

            var updated = change(current);
            if (ReferenceEquals(updated, current))
            {
                return;
            }

            try
            {
                if (target.Type == DeploymentTargetType.ServicePipeline)
                {
                    var service = Deserialize<ServiceRecord>(raw!) with { Pipeline = (PipelineRecord?)updated };
                    await _store.PutAsync(target.Collection, target.Key, Serialize(service), raw!.Revision, cancellationToken).ConfigureAwait(false);
                }
                else if (updated is null)
                {
                    await _store.DeleteAsync(target.Collection, target.Key, raw!.Revision, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _store.PutAsync(target.Collection, target.Key, Serialize(updated, updated.GetType()), raw?.Revision, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (StoreConflictException) when (attempt < 50)
            {
            }
        }
    }

    private async Task<DeploymentRecord> UpdateDeploymentAsync(string id, Func<DeploymentRecord, DeploymentRecord> change, CancellationToken cancellationToken)
        => await UpdateRecordAsync(Deployments, id, change, cancellationToken).ConfigureAwait(false) ?? throw NotFound("deployment", id);

    /// <summary>Read-modify-write of one record with optimistic concurrency (the change runs again after a lost race); null when there is no record.</summary>
    private async Task<T?> UpdateRecordAsync<T>(string collection, string key, Func<T, T> change, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await ReadAsync<T>(collection, key, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return null;
            }

            var updated = change(current.Value);
            if (ReferenceEquals(updated, current.Value))
            {
                return updated;
            }

            try
            {
                await _store.PutAsync(collection, key, Serialize(updated), current.Revision, cancellationToken).ConfigureAwait(false);
                return updated;
            }
            catch (StoreConflictException) when (attempt < 50)
            {
            }
        }
    }

    private sealed record Versioned<T>(T Value, string Revision);

    private async Task<Versioned<T>?> ReadAsync<T>(string collection, string key, CancellationToken cancellationToken)
    {
        var raw = await _store.GetAsync(collection, key, cancellationToken).ConfigureAwait(false);
        return raw is null ? null : new Versioned<T>(Deserialize<T>(raw), raw.Revision);
    }

    private async Task<List<T>> ListAsync<T>(string collection, string? prefix, CancellationToken cancellationToken)
        => (await _store.ListAsync(collection, prefix, cancellationToken).ConfigureAwait(false)).Select(Deserialize<T>).ToList();

    private async Task PutAsync<T>(string collection, string key, T value, string? revision, CancellationToken cancellationToken)
        => await _store.PutAsync(collection, key, Serialize(value), revision, cancellationToken).ConfigureAwait(false);

    private async Task DeleteRecordAsync(string collection, string key, CancellationToken cancellationToken)
    {
        if (await _store.GetAsync(collection, key, cancellationToken).ConfigureAwait(false) is { } raw)
        {
            await _store.DeleteAsync(collection, key, raw.Revision, cancellationToken).ConfigureAwait(false);
        }
    }

    private static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    private static byte[] Serialize(object value, Type type) => JsonSerializer.SerializeToUtf8Bytes(value, type, Json);

    private static T Deserialize<T>(StoredRecord raw)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(raw.Document.Span, Json) ?? throw new JsonException("empty document");
        }
        catch (JsonException ex)
        {
            throw new StoreCorruptedException($"{raw.Collection}/{raw.Key}", $"not a {typeof(T).Name} ({ex.Message})");
        }
    }
}
