using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>Progress of platform work: a message or a provisioning event, with the deployment it belongs to.</summary>
/// <param name="DeploymentId">The deployment.</param>
/// <param name="Target">The target (<c>env</c>, <c>service/instance</c>, <c>service</c>).</param>
/// <param name="Message">What happens.</param>
/// <param name="Event">The provisioning event, when this is one.</param>
public sealed record DeploymentProgress(string DeploymentId, string Target, string Message, ProvisioningEvent? Event = null);
