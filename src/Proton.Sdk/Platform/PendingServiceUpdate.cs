namespace Proton.Sdk.Platform;

/// <summary>
/// A service update (<c>ProtonPlatform.UpdateServiceAsync</c>) whose new instances were handed to an external apply
/// (Terraform's pull-request mode): the rest of Proton's update (delete the removed instances, redeploy the pipeline) waits
/// until the last of them is notified. The service stays <see cref="ServiceStatus.UpdateInProgress"/> meanwhile.
/// </summary>
public sealed record PendingServiceUpdate
{
    /// <summary>Every instance the update created (the waiting ones and any that finished at once), de-provisioned again if one of them fails.</summary>
    public required IReadOnlyList<string> NewInstances { get; init; }

    /// <summary>The instances the update removes once the new ones are applied.</summary>
    public IReadOnlyList<string> RemovedInstances { get; init; } = [];

    /// <summary>The pipeline inputs the update's spec gave (secret values masked); null keeps the pipeline's current inputs.</summary>
    public IReadOnlyDictionary<string, object?>? PipelineInputs { get; init; }

    /// <summary>The template version the pipeline is redeployed at; null when the service has no pipeline.</summary>
    public string? PipelineTemplateVersion { get; init; }
}
