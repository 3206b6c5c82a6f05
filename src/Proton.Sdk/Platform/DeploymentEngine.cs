using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>
/// Runs deployments: records each one before it starts, claims its target (the lock), holds a lease on it while the
/// provisioner works (renewed, and checked for a cancel asked from another process), records the outcome on the target
/// and the deployment, and completes deployments whose owner has gone (reconcile).
/// </summary>
internal sealed class DeploymentEngine
{
    private readonly PlatformRecords _records;
    private readonly ProvisionerSelector _provisioners;
    private readonly ProtonPlatformOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    public DeploymentEngine(PlatformRecords records, ProvisionerSelector provisioners, ProtonPlatformOptions options, TimeProvider time, ILogger logger)
    {
        _records = records;
        _provisioners = provisioners;
        _options = options;
        _time = time;
        _logger = logger;
        Owner = $"{Environment.MachineName}/{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}/{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>This engine's owner id, written on the deployments it runs.</summary>
    public string Owner { get; }

    private TimeSpan Lease => _options.LeaseDuration < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : _options.LeaseDuration;

    public DeploymentRecord NewDeployment(TargetRef target, DeploymentState? initial, DeploymentState? targetState, DeploymentUpdateType? type, string? provisioner)
    {
        var now = _time.GetUtcNow();
        return new DeploymentRecord
        {
            Id = PlatformRecords.NewDeploymentId(target, now),
            TargetType = target.Type,
            Target = target.Display,
            EnvironmentName = target.Environment,
            ServiceName = target.Service,
            InstanceName = target.Instance,
            Status = DeploymentStatus.InProgress,
            InitialState = initial,
            TargetState = targetState,
            UpdateType = type,
            Provisioner = provisioner ?? _provisioners.Default.Name,
            CreatedAt = now,
            LastModifiedAt = now,
        };
    }

    /// <summary>
    /// Records the deployment, claims the target (the lock), provisions, and records the outcome on both. A claim that
    /// loses (the target is busy) removes the deployment record again and throws <c>platform.conflict</c>. When
    /// <paramref name="request"/> is null the deployment is a delete: <paramref name="destroy"/> says what to destroy
    /// (null: nothing, for a customer-managed environment).
    /// </summary>
    public async Task<DeploymentRecord> ExecuteAsync(TargetRef target, DeploymentRecord deployment, DeployRequest? request, DeployableRecord? create, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken, DeployRequest? destroy = null, Func<DeployableRecord, DeployableRecord>? onSuccess = null)
    {
        var now = _time.GetUtcNow();
        var provisioner = request is not null ? _provisioners.For(request.Part, $"{target.Kind} {target.Display}")
            : destroy is not null ? (destroy.Part is null ? _provisioners.ByName(deployment.Provisioner) : _provisioners.For(destroy.Part, $"{target.Kind} {target.Display}"))
            : _provisioners.Default;
        deployment = deployment with { Provisioner = provisioner.Name, Owner = Owner, LeaseExpiresAt = now + Lease };
        if (request is not null && request.TemplateBody.Length > 0 && _options.PermissionCheck is { } check)
        {
            var needed = await new Policies.PolicyBuilder(check.Source).BuildAsync([request.TemplateBody], create is null ? Policies.StackOperations.Update : Policies.StackOperations.Create, cancellationToken).ConfigureAwait(false);
            var verdict = Policies.PolicyChecker.Check(check.RolePolicyJson, needed.Actions);
            if (!verdict.IsSufficient)
            {
                Log.DeploymentRefused(_logger, target.Display, "missing permissions: " + string.Join(", ", verdict.Missing.Concat(verdict.Denied)));
                throw new PlatformException(PlatformErrorCodes.MissingPermissions, $"{target.Kind} {target.Display}: the provisioning role's policy lacks {string.Join(", ", verdict.Missing.Concat(verdict.Denied.Select(d => d + " (denied)")))}; nothing was deployed.");
            }
        }

        await _records.PutAsync(PlatformRecords.Deployments, deployment.Id, deployment, null, cancellationToken).ConfigureAwait(false);
        try
        {
            await _records.UpdateTargetAsync(target, current =>
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
                    throw PlatformRecords.NotFound(target.Kind, target.Display);
                }
                else if (current.IsBusy)
                {
                    throw Busy(target, current);
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
            await _records.DeleteAsync(PlatformRecords.Deployments, deployment.Id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        using var activity = ProtonDiagnostics.Source.StartActivity("proton.deployment");
        activity?.SetTag("proton.deployment.id", deployment.Id);
        activity?.SetTag("proton.target", target.Display);
        activity?.SetTag("proton.target.type", target.Type.ToString());
        activity?.SetTag("proton.template", deployment.TargetState?.TemplateName ?? deployment.InitialState?.TemplateName);
        activity?.SetTag("proton.template.version", deployment.TargetState?.TemplateVersion);
        Log.DeploymentStarted(_logger, deployment.Id, target.Kind, target.Display, deployment.IsDelete ? "delete" : deployment.UpdateType?.ToString() ?? "create", deployment.TargetState?.TemplateName ?? deployment.InitialState?.TemplateName, deployment.TargetState?.TemplateVersion, provisioner.Name);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _running[deployment.Id] = cts;
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(deployment.Id, cts, heartbeatStop.Token);
        ProvisionResult result;
        try
        {
            progress?.Report(new DeploymentProgress(deployment.Id, target.Display, deployment.IsDelete ? $"deleting {target.Kind} {target.Display}" : $"deploying {target.Kind} {target.Display} ({deployment.TargetState?.TemplateName} {deployment.TargetState?.TemplateVersion})"));
            var events = new ForwardProgress(progress, deployment.Id, target.Display, _logger);
            if (request is not null)
            {
                result = await provisioner.DeployAsync(request with { DeploymentId = deployment.Id }, events, cts.Token).ConfigureAwait(false);
            }
            else if (destroy is not null)
            {
                result = await provisioner.DestroyAsync(destroy with { DeploymentId = deployment.Id }, events, cts.Token).ConfigureAwait(false);
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
            var secrets = request?.SecretValues ?? [];
            result = new ProvisionResult { Status = ProvisionStatus.Failed, Message = SecretRedactor.Redact(ex is ProtonException pe ? $"{pe.ErrorCode}: {pe.Message}" : $"{ex.GetType().Name}: {ex.Message}", secrets) };
        }
        finally
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            _running.TryRemove(deployment.Id, out _);
        }

        if (result.Status == ProvisionStatus.AwaitingExternalApply)
        {
            var waiting = await AwaitExternalApplyAsync(target, deployment, result).ConfigureAwait(false);
            Log.DeploymentFinished(_logger, waiting.Id, target.Display, waiting.Status.ToString(), 0, waiting.StatusMessage);
            progress?.Report(new DeploymentProgress(deployment.Id, target.Display, $"{target.Kind} {target.Display}: {waiting.Status}{(waiting.StatusMessage is null ? string.Empty : " - " + waiting.StatusMessage)}"));
            return waiting;
        }

        var finished = await CompleteAsync(target, deployment, result, onSuccess, CancellationToken.None).ConfigureAwait(false);
        await PruneAsync(target).ConfigureAwait(false);
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

    /// <summary>Records a deployment the provisioner handed to an external apply: it and its target wait, without a lease, until notified.</summary>
    private async Task<DeploymentRecord> AwaitExternalApplyAsync(TargetRef target, DeploymentRecord deployment, ProvisionResult result)
    {
        var now = _time.GetUtcNow();
        await _records.UpdateTargetAsync(target, current => current is null || current.LastAttemptedDeploymentId != deployment.Id || !current.IsBusy
            ? current
            : current with { DeploymentStatus = DeploymentStatus.AwaitingExternalApply, DeploymentStatusMessage = result.Message }, CancellationToken.None).ConfigureAwait(false);
        return await _records.UpdateDeploymentAsync(deployment.Id, r => r.IsFinished ? r : r with
        {
            Status = DeploymentStatus.AwaitingExternalApply,
            StatusMessage = result.Message,
            LastModifiedAt = now,
            Owner = null,
            LeaseExpiresAt = null,
        }, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes a deployment that waits for an external apply with the outcome its applier reports (Proton's
    /// <c>NotifyResourceDeploymentStatusChange</c>): the outputs go on the resource and the status becomes terminal.
    /// </summary>
    public async Task<DeploymentRecord> NotifyAsync(string id, bool succeeded, IReadOnlyDictionary<string, string>? outputs, string? message, CancellationToken cancellationToken)
    {
        var d = await _records.GetDeploymentAsync(id, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("deployment", id);
        if (d.Status != DeploymentStatus.AwaitingExternalApply)
        {
            throw new PlatformException(PlatformErrorCodes.NotAwaiting, $"Deployment {id} of {d.Target} does not wait for an external apply ({d.Status}); only such deployments take a notification.");
        }

        var result = new ProvisionResult
        {
            Status = succeeded ? ProvisionStatus.Succeeded : ProvisionStatus.Failed,
            State = succeeded ? (d.IsDelete ? StackState.Deleted : StackState.Succeeded) : StackState.Failed,
            Outputs = outputs ?? new Dictionary<string, string>(),
            Message = message ?? (succeeded ? "reported applied by the external apply" : "reported failed by the external apply"),
        };
        var finished = await CompleteAsync(TargetRef.Of(d), d, result, null, cancellationToken).ConfigureAwait(false);
        Log.DeploymentFinished(_logger, finished.Id, finished.Target, finished.Status.ToString(), (finished.CompletedAt - finished.CreatedAt)?.TotalSeconds ?? 0, finished.StatusMessage);
        return finished;
    }

    /// <summary>
    /// An IN_PROGRESS notification of a deployment that waits for an external apply: it keeps waiting, and the message goes
    /// on the deployment and its target.
    /// </summary>
    public async Task<DeploymentRecord> NotifyInProgressAsync(string id, string? message, CancellationToken cancellationToken)
    {
        var d = await _records.GetDeploymentAsync(id, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("deployment", id);
        if (d.Status != DeploymentStatus.AwaitingExternalApply)
        {
            throw new PlatformException(PlatformErrorCodes.NotAwaiting, $"Deployment {id} of {d.Target} does not wait for an external apply ({d.Status}); only such deployments take a notification.");
        }

        message ??= "reported in progress by the external apply";
        var now = _time.GetUtcNow();
        await _records.UpdateTargetAsync(TargetRef.Of(d), current => current is null || current.LastAttemptedDeploymentId != d.Id || current.DeploymentStatus != DeploymentStatus.AwaitingExternalApply
            ? current
            : current with { DeploymentStatusMessage = message }, cancellationToken).ConfigureAwait(false);
        var updated = await _records.UpdateDeploymentAsync(id, r => r.Status != DeploymentStatus.AwaitingExternalApply ? r : r with { StatusMessage = message, LastModifiedAt = now }, cancellationToken).ConfigureAwait(false);
        if (updated.Status != DeploymentStatus.AwaitingExternalApply)
        {
            throw new PlatformException(PlatformErrorCodes.NotAwaiting, $"Deployment {id} of {d.Target} finished ({updated.Status}) while the notification was recorded.");
        }

        return updated;
    }

    /// <summary>Keeps the last <see cref="ProtonPlatformOptions.DeploymentHistoryLimit"/> deployments of the target (none removed when it is null).</summary>
    private async Task PruneAsync(TargetRef target)
    {
        if (_options.DeploymentHistoryLimit is { } keep)
        {
            try
            {
                await _records.PruneDeploymentsAsync(target, Math.Max(1, keep), CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Pruning history must not fail a deployment that finished; the next one prunes again.
            catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                Log.PruneFailed(_logger, target.Display, ex.GetType().Name);
            }
        }
    }

    /// <summary>The conflict a busy target answers with, naming the deployment and how to cancel it.</summary>
    public static PlatformException Busy(TargetRef target, DeployableRecord current)
        => new(PlatformErrorCodes.Conflict, $"{target.Kind} {target.Display} is busy with deployment {current.LastAttemptedDeploymentId} ({current.DeploymentStatus}); wait for it, or cancel it (`proton deployments cancel {current.LastAttemptedDeploymentId}`, ProtonPlatform.CancelDeploymentAsync); if its process died, `proton reconcile` completes it once its lease runs out.");

    /// <summary>Renews the lease every third of its length and cancels the run when another process asked for it through the record.</summary>
    private async Task HeartbeatAsync(string id, CancellationTokenSource run, CancellationToken stop)
    {
        var interval = Lease / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _time, stop).ConfigureAwait(false);
                var record = await _records.UpdateDeploymentAsync(id, r => r.IsFinished ? r : r with { LeaseExpiresAt = _time.GetUtcNow() + Lease }, stop).ConfigureAwait(false);
                if (record.Status == DeploymentStatus.Cancelling && !run.IsCancellationRequested)
                {
                    await run.CancelAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed renewal must not fail the deployment; the next one tries again.
            catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                Log.LeaseRenewalFailed(_logger, id, ex.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Cancels a deployment: one running here is cancelled at once; one running in another live process is marked
    /// <see cref="DeploymentStatus.Cancelling"/> and its owner cancels it at its next lease renewal; one whose owner has
    /// gone (lease expired) is completed now from the stack's real state.
    /// </summary>
    public async Task<DeploymentRecord> CancelAsync(string id, CancellationToken cancellationToken)
    {
        var d = await _records.GetDeploymentAsync(id, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("deployment", id);
        if (d.IsFinished)
        {
            throw new PlatformException(PlatformErrorCodes.NotCancellable, $"Deployment {id} of {d.Target} has finished ({d.Status}).");
        }

        if (d.Status == DeploymentStatus.AwaitingExternalApply)
        {
            return await CompleteAsync(TargetRef.Of(d), d, new ProvisionResult { Status = ProvisionStatus.Cancelled, Message = "cancelled while waiting for an external apply" }, null, cancellationToken).ConfigureAwait(false);
        }

        var updated = await _records.UpdateDeploymentAsync(id, r => r.IsFinished ? r : r with { Status = DeploymentStatus.Cancelling, LastModifiedAt = _time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        if (_running.TryGetValue(id, out var cts))
        {
            await cts.CancelAsync().ConfigureAwait(false);
            return updated;
        }

        if (!LeaseExpired(d))
        {
            return updated;
        }

        return await ReconcileOneAsync(updated with { Status = d.Status }, cancelled: true, cancellationToken).ConfigureAwait(false) ?? updated;
    }

    /// <summary>Completes deployments whose owner has gone: not running here and with an expired lease.</summary>
    public async Task<IReadOnlyList<DeploymentRecord>> ReconcileAsync(IReadOnlyList<DeploymentRecord> deployments, CancellationToken cancellationToken)
    {
        var done = new List<DeploymentRecord>();
        foreach (var d in deployments)
        {
            if (d.IsFinished || d.Status == DeploymentStatus.AwaitingExternalApply || _running.ContainsKey(d.Id) || !LeaseExpired(d))
            {
                continue;
            }

            if (await ReconcileOneAsync(d, cancelled: d.Status == DeploymentStatus.Cancelling, cancellationToken).ConfigureAwait(false) is { } reconciled)
            {
                done.Add(reconciled);
            }
        }

        return done;
    }

    private bool LeaseExpired(DeploymentRecord d) => d.LeaseExpiresAt is not { } until || until <= _time.GetUtcNow();

    /// <summary>Completes one orphaned deployment from the stack's real state; null when the stack is still busy.</summary>
    private async Task<DeploymentRecord?> ReconcileOneAsync(DeploymentRecord d, bool cancelled, CancellationToken cancellationToken)
    {
        var target = TargetRef.Of(d);
        var current = (await _records.ReadTargetAsync(target, cancellationToken).ConfigureAwait(false)).Record;
        ProvisionResult result;
        if (current?.LastAttemptedDeploymentId != d.Id)
        {
            result = new ProvisionResult { Status = cancelled ? ProvisionStatus.Cancelled : ProvisionStatus.Failed, Message = "interrupted before it started; the target was not changed" };
            return await _records.UpdateDeploymentAsync(d.Id, r => r.IsFinished ? r : Finish(r, result, d.IsDelete), cancellationToken).ConfigureAwait(false);
        }

        var provisioner = _provisioners.ByName(d.Provisioner);
        var stack = d.StackName is null ? null : await provisioner.DescribeAsync(d.StackName, cancellationToken).ConfigureAwait(false);
        if (stack is { IsInProgress: true })
        {
            return null;
        }

        if (d.IsDelete)
        {
            result = stack is null || d.StackName is null || stack.State == StackState.Deleted
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
                Status = cancelled ? ProvisionStatus.Cancelled : ProvisionStatus.Failed,
                State = stack.State,
                EngineStatus = stack.EngineStatus,
                Message = stack.IsStable
                    ? $"reconciled: interrupted before the stack changed; {d.StackName} still runs the previous deployment"
                    : $"reconciled: stack {d.StackName} is {stack.DisplayStatus}{(stack.StatusReason is null ? string.Empty : ": " + stack.StatusReason)}",
            };
        }

        var reconciled = await CompleteAsync(target, d, result, null, cancellationToken).ConfigureAwait(false);
        Log.Reconciled(_logger, reconciled.Id, reconciled.Target, reconciled.Status.ToString());
        return reconciled;
    }

    /// <summary>
    /// Writes a deployment's outcome to the target, then to the deployment record. The first outcome wins: a deployment
    /// that reconcile (or another host) has finished already is returned as it is, and its target is not touched.
    /// </summary>
    private async Task<DeploymentRecord> CompleteAsync(TargetRef target, DeploymentRecord deployment, ProvisionResult result, Func<DeployableRecord, DeployableRecord>? onSuccess, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var success = result.IsSuccess;
        await _records.UpdateTargetAsync(target, current =>
        {
            if (current is null || current.LastAttemptedDeploymentId != deployment.Id || !current.IsBusy)
            {
                return current;
            }

            if (deployment.IsDelete)
            {
                return success ? null : current with { DeploymentStatus = result.Status == ProvisionStatus.Cancelled ? DeploymentStatus.Cancelled : DeploymentStatus.DeleteFailed, DeploymentStatusMessage = Message(result) };
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

        var dependents = new List<string>();
        if (success && !deployment.IsDelete && target.Type == DeploymentTargetType.Environment
            && await _records.GetEnvironmentAsync(target.Key, cancellationToken).ConfigureAwait(false) is { } environment)
        {
            dependents.AddRange((await InstancesNeedingRedeployAsync(environment, cancellationToken).ConfigureAwait(false)).Select(i => i.ServiceName + "/" + i.Name));
        }

        return await _records.UpdateDeploymentAsync(deployment.Id, r => r.IsFinished ? r : Finish(r, result, deployment.IsDelete) with { DependentsToRedeploy = dependents }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The instances of an environment deployed with outputs older than the environment's current ones.</summary>
    public async Task<IReadOnlyList<ServiceInstanceRecord>> InstancesNeedingRedeployAsync(EnvironmentRecord env, CancellationToken cancellationToken)
        => (await _records.ListInstancesInEnvironmentAsync(env.Name, cancellationToken).ConfigureAwait(false))
            .Where(i => i.LastSucceededDeploymentId is not null && i.EnvironmentDeploymentId != env.OutputsDeploymentId)
            .ToList();

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
            LeaseExpiresAt = null,
        };
    }

    private static string? Message(ProvisionResult result)
        => result.Failures.Count > 0 ? $"{result.Message}; root cause: {string.Join("; ", result.Failures.Select(f => f.ToString()))}" : result.Message;

    private static bool SameOutputs(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b, bool first)
        => !first && a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private sealed class ForwardProgress(IProgress<DeploymentProgress>? inner, string id, string target, ILogger logger) : IProgress<ProvisioningEvent>
    {
        public void Report(ProvisioningEvent value)
        {
            Log.ProvisioningEvent(logger, target, value.Resource, value.ResourceType, value.EngineStatus ?? value.Status.ToString());
            inner?.Report(new DeploymentProgress(id, target, value.ToString(), value));
        }
    }
}
