using System.Text.Json.Serialization;

namespace Proton.Sdk.Platform;

/// <summary>
/// What the per-template index keeps of one resource: enough for the summary and an upgrade plan without reading the
/// resource (type, version, status, the running deployment, the environment of an instance, whether an environment has
/// deployed or is customer-managed, and the names of inputs that hold the secret mask, never values).
/// </summary>
/// <param name="Type">Environment, instance or pipeline.</param>
/// <param name="Version">The template version it runs.</param>
/// <param name="Status">The status of its last deployment attempt.</param>
[JsonConverter(typeof(TemplateIndexEntryConverter))]
internal sealed record TemplateIndexEntry(DeploymentTargetType Type, string Version, DeploymentStatus Status)
{
    /// <summary>The running deployment, while one runs.</summary>
    public string? Running { get; init; }

    /// <summary>For an instance: its environment.</summary>
    public string? Environment { get; init; }

    /// <summary>For an environment: true once a deployment succeeded.</summary>
    public bool Deployed { get; init; }

    /// <summary>For an environment: true when customer-managed.</summary>
    public bool CustomerManaged { get; init; }

    /// <summary>Inputs whose stored value is the secret mask, comma-separated in order; null when none.</summary>
    public string? Masked { get; init; }

    /// <summary>True while a deployment of the resource runs.</summary>
    [JsonIgnore]
    public bool IsBusy => Status is DeploymentStatus.InProgress or DeploymentStatus.Cancelling or DeploymentStatus.DeleteInProgress;

    /// <summary>True when its last deployment failed or failed to delete (the summary counts it as failed).</summary>
    [JsonIgnore]
    public bool IsFailed => Status is DeploymentStatus.Failed or DeploymentStatus.DeleteFailed;

    /// <summary>The entry for a record (its template is the shard's).</summary>
    public static TemplateIndexEntry Of(DeploymentTargetType type, DeployableRecord r)
    {
        var masked = r.Inputs.Where(kv => Equals(kv.Value, Schema.InputValues.Mask)).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        return new TemplateIndexEntry(type, r.TemplateVersion, r.DeploymentStatus)
        {
            Running = r.IsBusy ? r.LastAttemptedDeploymentId : null,
            Environment = (r as ServiceInstanceRecord)?.EnvironmentName,
            Deployed = r is EnvironmentRecord && r.LastSucceededDeploymentId is not null,
            CustomerManaged = r is EnvironmentRecord { Provisioning: EnvironmentProvisioning.CustomerManaged },
            Masked = masked.Count == 0 ? null : string.Join(',', masked),
        };
    }
}
