using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>The provisioning role's policy and where resource-type permissions come from, for checks before deployments.</summary>
/// <param name="RolePolicyJson">The role's identity policy document (JSON).</param>
/// <param name="Source">Where handler permissions come from.</param>
public sealed record PermissionCheck(string RolePolicyJson, Policies.IResourcePermissionSource Source);
