using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Proton.Sdk;

/// <summary>
/// Traces and metrics of Proton.Sdk: subscribe to the <see cref="ActivitySourceName"/> activity source (a span per
/// registration, render and deployment) and the <see cref="MeterName"/> meter (deployment counts and durations, render
/// counts); Proton.Sdk.Aws has its own meter for AWS calls. Inputs and secrets are never attached to them.
/// </summary>
public static class ProtonDiagnostics
{
    /// <summary>The name of the activity source.</summary>
    public const string ActivitySourceName = "Proton.Sdk";

    /// <summary>The name of the meter.</summary>
    public const string MeterName = "Proton.Sdk";

    internal static readonly ActivitySource Source = new(ActivitySourceName, "0.1.0");

    internal static readonly Meter Meter = new(MeterName, "0.1.0");

    internal static readonly Counter<long> Deployments = Meter.CreateCounter<long>("proton.deployments", description: "Deployments finished, by target type and status.");

    internal static readonly Histogram<double> DeploymentDuration = Meter.CreateHistogram<double>("proton.deployment.duration", unit: "s", description: "How long deployments took.");

    internal static readonly Counter<long> Renders = Meter.CreateCounter<long>("proton.renders", description: "Templates rendered, by engine.");
}

/// <summary>Source-generated log messages. They carry ids, names, versions and statuses, never inputs.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Deployment {DeploymentId} of {TargetKind} {Target} started: {Operation} {TemplateName} {TemplateVersion} with {Provisioner}")]
    public static partial void DeploymentStarted(ILogger logger, string deploymentId, string targetKind, string target, string operation, string? templateName, string? templateVersion, string provisioner);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Deployment {DeploymentId} of {Target} ended {Status} after {DurationSeconds:F1} s: {StatusMessage}")]
    public static partial void DeploymentFinished(ILogger logger, string deploymentId, string target, string status, double durationSeconds, string? statusMessage);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Deployment {DeploymentId} of {Target} failed: {StatusMessage}")]
    public static partial void DeploymentFailed(ILogger logger, string deploymentId, string target, string? statusMessage);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Deployment of {Target} refused: {Reason}")]
    public static partial void DeploymentRefused(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Reconciled deployment {DeploymentId} of {Target}: {Status}")]
    public static partial void Reconciled(ILogger logger, string deploymentId, string target, string status);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Renewing the lease of deployment {DeploymentId} failed ({ErrorType}); the next renewal tries again")]
    public static partial void LeaseRenewalFailed(ILogger logger, string deploymentId, string errorType);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Provisioning event for {Target}: {LogicalId} {ResourceType} {ResourceStatus}")]
    public static partial void ProvisioningEvent(ILogger logger, string target, string logicalId, string resourceType, string resourceStatus);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "Removing old deployments of {Target} failed ({ErrorType}); the next deployment of it tries again")]
    public static partial void PruneFailed(ILogger logger, string target, string errorType);
}
