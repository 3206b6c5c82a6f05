using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>A service's status (a subset of Proton's <c>ServiceStatus</c>).</summary>
public enum ServiceStatus
{
    /// <summary>Being created.</summary>
    CreateInProgress,

    /// <summary>Creating an instance or the pipeline failed.</summary>
    CreateFailed,

    /// <summary>Running.</summary>
    Active,

    /// <summary>Its spec is being updated.</summary>
    UpdateInProgress,

    /// <summary>A spec update failed (the pipeline, or the new instances which were removed again).</summary>
    UpdateFailed,

    /// <summary>Being deleted.</summary>
    DeleteInProgress,

    /// <summary>Deleting an instance or the pipeline failed.</summary>
    DeleteFailed,
}
