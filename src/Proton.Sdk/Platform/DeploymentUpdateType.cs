using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>Proton's deployment types for updates (<c>DeploymentUpdateType</c>).</summary>
public enum DeploymentUpdateType
{
    /// <summary>No deployment; only metadata (the description) changes.</summary>
    None,

    /// <summary>Redeploy the same template version, with a new spec when one is given.</summary>
    CurrentVersion,

    /// <summary>Move to the recommended (or a given) newer minor of the current major.</summary>
    MinorVersion,

    /// <summary>Move to the recommended (or a given) version of a higher major; compatibility is checked again.</summary>
    MajorVersion,
}
