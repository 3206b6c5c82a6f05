using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>A service's pipeline.</summary>
public sealed record PipelineRecord : DeployableRecord
{
}
