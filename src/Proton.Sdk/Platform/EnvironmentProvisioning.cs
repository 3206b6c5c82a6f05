using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>How an environment's infrastructure is managed.</summary>
public enum EnvironmentProvisioning
{
    /// <summary>Rendered and provisioned by the platform.</summary>
    Managed,

    /// <summary>Adopted from an existing stack (migration off Proton); later updates deploy to that stack.</summary>
    ImportedStack,

    /// <summary>Provisioned elsewhere; the platform only knows its outputs (Proton's customer-managed environments).</summary>
    CustomerManaged,
}
