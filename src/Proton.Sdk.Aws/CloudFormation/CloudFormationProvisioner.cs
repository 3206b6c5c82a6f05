using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Aws.CloudFormation;

/// <summary>
/// Provisions with CloudFormation through change sets: CREATE or UPDATE, "no changes" as a no-op with the current outputs,
/// adaptive polling (quick first polls, then a tenth of the time waited so far, with jitter, up to a cap) streaming each
/// stack event once, following the stack by the id CloudFormation gave it (a newer stack of the same name is never read),
/// the root cause on failure, recovery from ROLLBACK_COMPLETE and UPDATE_ROLLBACK_FAILED, capabilities detected from the
/// template, role ARN, tags, the deployment id as idempotency token, and large templates through S3.
/// </summary>
public sealed class CloudFormationProvisioner : IProvisioner, IDisposable
{
    /// <summary>The largest template body CloudFormation takes inline.</summary>
    public const int MaxTemplateBodyBytes = 51_200;

    private static readonly HashSet<string> Terminal = new(StringComparer.Ordinal)
    {
        "CREATE_COMPLETE", "CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_COMPLETE", "DELETE_FAILED",
        "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED", "UPDATE_FAILED", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE", "IMPORT_ROLLBACK_FAILED",
    };

    private readonly CloudFormationClient _cfn;
    private readonly IAmazonS3? _s3;
    private readonly CloudFormationProvisionerOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly bool _forcePathStyle;
    private readonly HttpClient? _ownedHttp;

    /// <summary>
    /// Creates the provisioner. Region and credentials come from <paramref name="connection"/>, else the AWS CLI's and
    /// SDK's chains (<c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, profiles, SSO, instance roles).
    /// </summary>
    /// <param name="options">What to deploy with and how to wait; defaults when null.</param>
    /// <param name="connection">Region, profile, credentials, endpoint and retries; <see cref="CloudFormationProvisionerOptions.Connection"/> when null.</param>
    /// <param name="transport">
    /// The handler that sends the signed requests (a proxy, a test double, a <see cref="DelegatingHandler"/> over a
    /// <see cref="SocketsHttpHandler"/>); the provisioner never disposes it. Its own sockets handler when null.
    /// </param>
    /// <param name="timeProvider">The clock of polls, time-outs and backoff; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="random">The jitter of polls and backoff; <see cref="Random.Shared"/> when null.</param>
    /// <exception cref="ProtonException"><c>aws.no-region</c> or <c>aws.no-credentials</c>.</exception>
    public CloudFormationProvisioner(CloudFormationProvisionerOptions? options = null, AwsConnectionOptions? connection = null, HttpMessageHandler? transport = null, TimeProvider? timeProvider = null, Random? random = null)
    {
        _options = options ?? new CloudFormationProvisionerOptions();
        connection ??= _options.Connection ?? new AwsConnectionOptions();
        _time = timeProvider ?? TimeProvider.System;
        var rng = random ?? Random.Shared;
        _random = rng.NextDouble;
        var region = AwsConnection.ResolveRegion(connection);
        var credentials = AwsConnection.ResolveCredentials(connection);
        _ownedHttp = AwsConnection.SignedClient(credentials, region, "cloudformation", transport);
        _cfn = new CloudFormationClient(_ownedHttp, AwsConnection.ResolveEndpoint(connection, "CLOUDFORMATION", "cloudformation", region), _time, _random, connection.MaxAttempts);
        _forcePathStyle = connection.ForcePathStyle;
        if (_options.TemplateBucket is not null)
        {
            _s3 = Storage.S3Clients.Create(connection, region, credentials, transport);
        }
    }

    internal CloudFormationProvisioner(CloudFormationClient client, IAmazonS3? s3, CloudFormationProvisionerOptions options, TimeProvider time, Func<double> random, bool forcePathStyle = true)
    {
        _cfn = client;
        _s3 = s3;
        _options = options;
        _time = time;
        _random = random;
        _forcePathStyle = forcePathStyle;
    }

    /// <inheritdoc />
    public string Name => "cloudformation";

    internal CloudFormationClient Client => _cfn;

    /// <inheritdoc />
    public void Dispose()
    {
        _ownedHttp?.Dispose();
        (_s3 as IDisposable)?.Dispose();
    }

    /// <inheritdoc />
    public async Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secrets = request.SecretValues;
        var stack = await PrepareAsync(request.StackName, progress, secrets, cancellationToken).ConfigureAwait(false);
        var creating = stack is null || stack.Status == "REVIEW_IN_PROGRESS";
        var token = request.DeploymentId ?? Guid.NewGuid().ToString();
        var changeSetName = ChangeSetName("proton-", token);
        var input = await ChangeSetInputAsync(request, changeSetName, creating ? "CREATE" : "UPDATE", token, cancellationToken).ConfigureAwait(false);
        string? stackId = null;
        try
        {
            (_, stackId) = await _cfn.CreateChangeSetAsync(input, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.Kind == AwsErrorKind.AlreadyExists)
        {
            // A retried call with the same deployment id: the change set exists already; carry on with it.
        }
        catch (AwsServiceException ex) when (ex.Kind == AwsErrorKind.InsufficientCapabilities)
        {
            throw new ProvisioningException(ProvisioningErrorCodes.InsufficientCapabilities, $"Stack {request.StackName}: {SecretRedactor.Redact(ex.ServiceMessage, secrets)} (pass the capabilities in DeployRequest.Capabilities)", ex);
        }

        // From here on the stack is addressed by its id: a stack of the same name made by someone else later is not this one.
        var stackRef = stackId ?? (creating ? null : stack?.StackId) ?? request.StackName;
        var changeSet = await WaitForChangeSetAsync(stackRef, changeSetName, cancellationToken).ConfigureAwait(false);
        if (stackId is null && changeSet.StackId is { Length: > 0 } fromChangeSet)
        {
            stackRef = fromChangeSet;
        }

        if (changeSet.Status == "FAILED")
        {
            if (NoChanges(changeSet.StatusReason))
            {
                await _cfn.DeleteChangeSetAsync(stackRef, changeSetName, CancellationToken.None).ConfigureAwait(false);
                var current = await _cfn.DescribeStackAsync(stackRef, cancellationToken).ConfigureAwait(false);
                return new ProvisionResult { Status = ProvisionStatus.NoChanges, State = current is null ? null : CloudFormationStatus.ToStackState(current.Status), EngineStatus = current?.Status, Outputs = current?.Outputs ?? new Dictionary<string, string>(), Message = "No changes." };
            }

            return new ProvisionResult { Status = ProvisionStatus.Failed, Message = $"change set failed: {SecretRedactor.Redact(changeSet.StatusReason ?? "no reason given", secrets)}" };
        }

        var started = _time.GetUtcNow();
        try
        {
            await _cfn.ExecuteChangeSetAsync(stackRef, changeSetName, token, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.Kind == AwsErrorKind.TokenAlreadyExists || (ex.Kind == AwsErrorKind.Validation && changeSet.ExecutionStatus is "EXECUTE_IN_PROGRESS" or "EXECUTE_COMPLETE"))
        {
            // Executed already by an earlier attempt of this deployment: wait for it.
        }

        return await WaitAsync(stackRef, started, creating ? "CREATE" : "UPDATE", progress, secrets, cancellationToken, request.StackName, token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stack = await _cfn.DescribeStackAsync(request.StackName, cancellationToken).ConfigureAwait(false);
        var creating = stack is null || stack.Status is "REVIEW_IN_PROGRESS" or "ROLLBACK_COMPLETE";
        if (stack is not null && stack.Status == "ROLLBACK_COMPLETE")
        {
            return new StackPlan(request.StackName, false, []);
        }

        var name = ChangeSetName("proton-plan-", Guid.NewGuid().ToString());
        var input = await ChangeSetInputAsync(request, name, creating ? "CREATE" : "UPDATE", null, cancellationToken).ConfigureAwait(false);
        await _cfn.CreateChangeSetAsync(input, cancellationToken).ConfigureAwait(false);
        try
        {
            var cs = await WaitForChangeSetAsync(request.StackName, name, cancellationToken).ConfigureAwait(false);
            if (cs.Status == "FAILED" && !NoChanges(cs.StatusReason))
            {
                throw new ProvisioningException(ProvisioningErrorCodes.PlanFailed, $"Stack {request.StackName}: the change set failed: {SecretRedactor.Redact(cs.StatusReason ?? "no reason", request.SecretValues)}");
            }

            var changes = cs.Changes.Select(c => new ResourceChange(
                c.Action switch
                {
                    "Add" => ResourceChangeAction.Add,
                    "Remove" => ResourceChangeAction.Remove,
                    _ when c.Replacement == "True" => ResourceChangeAction.Replace,
                    _ => ResourceChangeAction.Modify,
                },
                c.LogicalId,
                c.ResourceType) { MayReplace = c.Action == "Modify" && c.Replacement == "Conditional" }).ToList();
            return new StackPlan(request.StackName, !creating, changes);
        }
        finally
        {
            await _cfn.DeleteChangeSetAsync(request.StackName, name, CancellationToken.None).ConfigureAwait(false);
            if (stack is null)
            {
                // A CREATE change set leaves an empty stack in REVIEW_IN_PROGRESS: remove it, nothing existed before.
                await _cfn.DeleteStackAsync(request.StackName, null, _options.RoleArn, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        var stack = await _cfn.DescribeStackAsync(stackName, cancellationToken).ConfigureAwait(false);
        if (stack is null || stack.Status == "DELETE_COMPLETE")
        {
            return new ProvisionResult { Status = ProvisionStatus.Succeeded, State = CloudFormationStatus.ToStackState("DELETE_COMPLETE"), EngineStatus = "DELETE_COMPLETE", Message = $"{stackName} does not exist." };
        }

        var started = _time.GetUtcNow();
        var token = "proton-delete-" + Guid.NewGuid().ToString("N");
        await _cfn.DeleteStackAsync(stack.StackId, token, _options.RoleArn, cancellationToken).ConfigureAwait(false);
        return await WaitAsync(stack.StackId, started, "DELETE", progress, [], cancellationToken, stackName, token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var stack = await _cfn.DescribeStackAsync(stackName, cancellationToken).ConfigureAwait(false);
        if (stack is null)
        {
            return null;
        }

        var (events, _) = await _cfn.DescribeStackEventsAsync(stack.StackId, null, cancellationToken).ConfigureAwait(false);
        return new StackDescription(stack.StackName, CloudFormationStatus.ToStackState(stack.Status)) { EngineStatus = stack.Status, StackId = stack.StackId, Outputs = stack.Outputs, StatusReason = stack.StatusReason, LastDeploymentId = events.FirstOrDefault()?.ClientRequestToken };
    }

    /// <summary>Gets the stack into a state a change set can start from; null when it does not exist.</summary>
    private async Task<CfnStack?> PrepareAsync(string stackName, IProgress<ProvisioningEvent>? progress, IReadOnlyCollection<string> secrets, CancellationToken cancellationToken)
    {
        var stack = await _cfn.DescribeStackAsync(stackName, cancellationToken).ConfigureAwait(false);
        if (stack is null)
        {
            return null;
        }

        if (IsBusy(stack.Status))
        {
            if (!_options.WaitWhenBusy)
            {
                throw new ProvisioningException(ProvisioningErrorCodes.Busy, $"Stack {stackName} is busy ({stack.Status}); wait for the running operation or set WaitWhenBusy.");
            }

            await WaitAsync(stack.StackId, _time.GetUtcNow(), null, progress, secrets, cancellationToken, stackName).ConfigureAwait(false);
            stack = await _cfn.DescribeStackAsync(stackName, cancellationToken).ConfigureAwait(false);
            if (stack is null)
            {
                return null;
            }
        }

        switch (stack.Status)
        {
            case "ROLLBACK_COMPLETE" or "ROLLBACK_FAILED" or "CREATE_FAILED":
                // A failed create leaves a stack that can only be deleted: delete it and create it again.
                progress?.Report(CloudFormationStatus.ToEvent(_time.GetUtcNow(), stackName, "AWS::CloudFormation::Stack", stack.Status, "the last create failed; deleting the stack to create it again"));
                var deleted = await DestroyAsync(stackName, progress, cancellationToken).ConfigureAwait(false);
                if (!deleted.IsSuccess)
                {
                    throw new ProvisioningException(ProvisioningErrorCodes.RecoveryFailed, $"Stack {stackName} is {stack.Status} and could not be deleted: {deleted.Message}");
                }

                return null;
            case "UPDATE_ROLLBACK_FAILED":
                progress?.Report(CloudFormationStatus.ToEvent(_time.GetUtcNow(), stackName, "AWS::CloudFormation::Stack", stack.Status, "continuing the update rollback"));
                var started = _time.GetUtcNow();
                var recoveryToken = "proton-recover-" + Guid.NewGuid().ToString("N");
                await _cfn.ContinueUpdateRollbackAsync(stack.StackId, _options.RoleArn, recoveryToken, cancellationToken).ConfigureAwait(false);
                var recovered = await WaitAsync(stack.StackId, started, null, progress, secrets, cancellationToken, stackName, recoveryToken).ConfigureAwait(false);
                if (recovered.EngineStatus != "UPDATE_ROLLBACK_COMPLETE")
                {
                    throw new ProvisioningException(ProvisioningErrorCodes.RecoveryFailed, $"Stack {stackName} stayed in {recovered.EngineStatus} after ContinueUpdateRollback: {recovered.Message}");
                }

                return await _cfn.DescribeStackAsync(stack.StackId, cancellationToken).ConfigureAwait(false);
            case "DELETE_FAILED":
                throw new ProvisioningException(ProvisioningErrorCodes.StackBroken, $"Stack {stackName} is DELETE_FAILED; delete it (retaining the resources that failed) before deploying again.");
            default:
                return stack;
        }
    }

    private static bool IsBusy(string status) => status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) && status != "REVIEW_IN_PROGRESS";

    private static bool NoChanges(string? reason)
        => reason is not null && (reason.Contains("didn't contain changes", StringComparison.Ordinal) || reason.Contains("No updates are to be performed", StringComparison.Ordinal));

    private static string ChangeSetName(string prefix, string token)
    {
        var safe = new string(token.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray());
        var name = prefix + safe;
        return name.Length > 128 ? name[..128] : name;
    }

    private async Task<CreateChangeSetInput> ChangeSetInputAsync(DeployRequest request, string changeSetName, string type, string? token, CancellationToken cancellationToken)
    {
        string? body = request.TemplateBody, url = null;
        if (Encoding.UTF8.GetByteCount(request.TemplateBody) > MaxTemplateBodyBytes)
        {
            if (_s3 is null || _options.TemplateBucket is null)
            {
                throw new ProvisioningException(ProvisioningErrorCodes.TemplateTooLarge, $"Stack {request.StackName}: the template is {Encoding.UTF8.GetByteCount(request.TemplateBody)} bytes; CloudFormation takes {MaxTemplateBodyBytes} inline. Set TemplateBucket to deploy it by URL.");
            }

            var bytes = Encoding.UTF8.GetBytes(request.TemplateBody);
            var key = $"{_options.TemplateKeyPrefix}{request.StackName}/{Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant()}.template";
            using var stream = new MemoryStream(bytes);
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _options.TemplateBucket, Key = key, InputStream = stream, ContentType = "application/octet-stream" }, cancellationToken).ConfigureAwait(false);
            url = _s3.Config.ServiceURL is { Length: > 0 } serviceUrl && _forcePathStyle
                ? $"{serviceUrl.TrimEnd('/')}/{_options.TemplateBucket}/{key}"
                : $"https://{_options.TemplateBucket}.s3.amazonaws.com/{key}";
            body = null;
        }

        return new CreateChangeSetInput
        {
            StackName = request.StackName,
            ChangeSetName = changeSetName,
            ChangeSetType = type,
            TemplateBody = body,
            TemplateUrl = url,
            Parameters = request.Parameters,
            Tags = request.Tags,
            Capabilities = request.Capabilities ?? DetectCapabilities(request.TemplateBody),
            RoleArn = _options.RoleArn,
            ClientToken = token,
        };
    }

    /// <summary>CAPABILITY_IAM for IAM resources, CAPABILITY_NAMED_IAM when they carry names, CAPABILITY_AUTO_EXPAND for transforms.</summary>
    internal static IReadOnlyList<string> DetectCapabilities(string templateBody)
    {
        CloudFormationTemplate template;
        try
        {
            template = CloudFormationTemplate.Parse(templateBody, "template");
        }
        catch (ProtonValidationException)
        {
            return [];
        }

        var caps = new List<string>();
        var iam = template.Resources.Where(r => r.Type.StartsWith("AWS::IAM::", StringComparison.Ordinal)).ToList();
        if (iam.Count > 0)
        {
            var named = iam.Any(r => r.Properties.Keys.Any(k => k is "RoleName" or "UserName" or "GroupName" or "ManagedPolicyName" or "InstanceProfileName"));
            caps.Add(named ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM");
        }

        if (template.Transforms.Count > 0 || template.Resources.Any(r => r.Type.StartsWith("AWS::Serverless::", StringComparison.Ordinal)))
        {
            caps.Add("CAPABILITY_AUTO_EXPAND");
        }

        return caps;
    }

    private async Task<CfnChangeSet> WaitForChangeSetAsync(string stackName, string name, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        while (true)
        {
            var cs = await _cfn.DescribeChangeSetAsync(stackName, name, cancellationToken).ConfigureAwait(false);
            if (cs.Status is "CREATE_COMPLETE" or "FAILED" or "DELETE_COMPLETE")
            {
                return cs;
            }

            await Task.Delay(NextInterval(_time.GetUtcNow() - started), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The wait before the next poll: <see cref="CloudFormationProvisionerOptions.FirstPollInterval"/> while the operation is
    /// younger than twice <see cref="CloudFormationProvisionerOptions.MinPollInterval"/> (a stack that ends in a second is
    /// noticed within a quarter of a second), then a tenth of the time waited so far between the minimum and the cap, with up
    /// to 10 % jitter downwards, never below the minimum. So Describe calls stay bounded: at most about 35 in the first
    /// minute with the defaults, and one per <see cref="CloudFormationProvisionerOptions.MaxPollInterval"/> for long stacks.
    /// </summary>
    internal TimeSpan NextInterval(TimeSpan elapsed)
    {
        var min = _options.MinPollInterval.TotalMilliseconds;
        var first = Math.Min(_options.FirstPollInterval.TotalMilliseconds, min);
        if (elapsed.TotalMilliseconds < 2 * min)
        {
            return TimeSpan.FromMilliseconds(first);
        }

        var ideal = Math.Min(_options.MaxPollInterval.TotalMilliseconds, Math.Max(min, elapsed.TotalMilliseconds / 10));
        return TimeSpan.FromMilliseconds(Math.Max(min, ideal * (0.9 + (0.1 * _random()))));
    }

    /// <summary>
    /// Polls DescribeStackEvents (one call per poll; events of this operation only: by its client request token when it has one,
    /// else by time) until the stack's own event shows a terminal status, streaming each new
    /// event once, oldest first; then reads the outputs (DescribeStacks) or, on failure, the root cause.
    /// </summary>
    private async Task<ProvisionResult> WaitAsync(string stackId, DateTimeOffset since, string? operation, IProgress<ProvisioningEvent>? progress, IReadOnlyCollection<string> secrets, CancellationToken cancellationToken, string? stackName = null, string? token = null)
    {
        stackName ??= stackId;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var operationEvents = new List<CfnEvent>();
        var started = _time.GetUtcNow();
        while (true)
        {
            try
            {
                await Task.Delay(NextInterval(_time.GetUtcNow() - started), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                if (operation is "CREATE")
                {
                    await _cfn.DeleteStackAsync(stackId, null, _options.RoleArn, CancellationToken.None).ConfigureAwait(false);
                    return new ProvisionResult { Status = ProvisionStatus.Cancelled, State = CloudFormationStatus.ToStackState("DELETE_IN_PROGRESS"), EngineStatus = "DELETE_IN_PROGRESS", Message = $"cancelled: the new stack {stackName} is being deleted" };
                }

                if (operation is "UPDATE")
                {
                    await _cfn.CancelUpdateStackAsync(stackId, CancellationToken.None).ConfigureAwait(false);
                    return new ProvisionResult { Status = ProvisionStatus.Cancelled, State = CloudFormationStatus.ToStackState("UPDATE_ROLLBACK_IN_PROGRESS"), EngineStatus = "UPDATE_ROLLBACK_IN_PROGRESS", Message = $"cancelled: the update of {stackName} is rolling back" };
                }

                throw;
            }

            var fresh = new List<CfnEvent>();
            string? next = null;
            do
            {
                var (page, pageToken) = await _cfn.DescribeStackEventsAsync(stackId, next, CancellationToken.None).ConfigureAwait(false);
                var stop = false;
                foreach (var e in page)
                {
                    if (e.Timestamp < since.AddSeconds(-1) || seen.Contains(e.EventId))
                    {
                        stop = true;
                        break;
                    }

                    // Events of this operation carry its token; endpoints that leave tokens out (moto) fall back to time.
                    if (token is null || e.ClientRequestToken == token || (e.ClientRequestToken is null && e.Timestamp >= since))
                    {
                        fresh.Add(e);
                    }
                    else
                    {
                        seen.Add(e.EventId);
                    }
                }

                next = stop ? null : pageToken;
            }
            while (next is not null);

            fresh.Reverse();
            CfnEvent? terminal = null;
            foreach (var e in fresh)
            {
                seen.Add(e.EventId);
                operationEvents.Add(e);
                progress?.Report(CloudFormationStatus.ToEvent(e.Timestamp, e.LogicalId, e.ResourceType, e.Status, SecretRedactor.Redact(e.Reason, secrets), e.PhysicalId));
                if (e.ResourceType == "AWS::CloudFormation::Stack" && (e.LogicalId == stackName || e.PhysicalId == stackId) && Terminal.Contains(e.Status)
                    && (operation is null || e.Status.StartsWith(operation, StringComparison.Ordinal) || e.Status.Contains("ROLLBACK", StringComparison.Ordinal) || e.Status.EndsWith("FAILED", StringComparison.Ordinal)))
                {
                    terminal = e;
                }
            }

            if (terminal is not null)
            {
                return await ResultAsync(stackId, stackName, terminal, operationEvents, secrets).ConfigureAwait(false);
            }

            if (_time.GetUtcNow() - started > _options.OperationTimeout)
            {
                return new ProvisionResult { Status = ProvisionStatus.Failed, State = StackState.InProgress, EngineStatus = "TIMEOUT", Message = $"{stackName}: no terminal status after {_options.OperationTimeout}; the operation may still be running (reconcile later)" };
            }

        }
    }

    private async Task<ProvisionResult> ResultAsync(string stackId, string stackName, CfnEvent terminal, List<CfnEvent> events, IReadOnlyCollection<string> secrets)
    {
        var status = terminal.Status;
        if (status is "CREATE_COMPLETE" or "UPDATE_COMPLETE" or "IMPORT_COMPLETE")
        {
            var stack = await _cfn.DescribeStackAsync(stackId, CancellationToken.None).ConfigureAwait(false);
            return new ProvisionResult { Status = ProvisionStatus.Succeeded, State = CloudFormationStatus.ToStackState(status), EngineStatus = status, Outputs = stack?.Outputs ?? new Dictionary<string, string>(), Message = $"{stackName} {status}" };
        }

        if (status == "DELETE_COMPLETE")
        {
            return new ProvisionResult { Status = ProvisionStatus.Succeeded, State = CloudFormationStatus.ToStackState(status), EngineStatus = status, Message = $"{stackName} deleted" };
        }

        IReadOnlyList<ResourceFailure> failures;
        if (status == "DELETE_FAILED")
        {
            var resources = await _cfn.DescribeStackResourcesAsync(stackId, CancellationToken.None).ConfigureAwait(false);
            failures = resources.Where(r => r.Status == "DELETE_FAILED").Select(r => new ResourceFailure(r.LogicalId, r.ResourceType, r.Status, SecretRedactor.Redact(r.Reason ?? "no reason given", secrets))).ToList();
        }
        else
        {
            // The root cause: the first resource-level failures, not the cascade of "Resource creation cancelled" after them.
            failures = events.Where(e => e.Status.EndsWith("_FAILED", StringComparison.Ordinal) && e.ResourceType != "AWS::CloudFormation::Stack")
                .OrderBy(e => e.Timestamp)
                .Where(e => e.Reason is null || !e.Reason.Contains("cancelled", StringComparison.OrdinalIgnoreCase))
                .Take(5)
                .Select(e => new ResourceFailure(e.LogicalId, e.ResourceType, e.Status, SecretRedactor.Redact(e.Reason ?? "no reason given", secrets)))
                .ToList();
        }

        return new ProvisionResult
        {
            Status = ProvisionStatus.Failed,
            State = CloudFormationStatus.ToStackState(status), EngineStatus = status,
            Failures = failures,
            Message = $"{stackName} {status}{(terminal.Reason is null ? string.Empty : ": " + SecretRedactor.Redact(terminal.Reason, secrets))}",
        };
    }
}
