using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>A template version and inputs: what a target runs, before and after a deployment.</summary>
/// <param name="TemplateName">The template.</param>
/// <param name="TemplateVersion">The version.</param>
/// <param name="Inputs">The inputs after defaults; secret inputs hold <see cref="Schema.InputValues.Mask"/>.</param>
public sealed record DeploymentState(string TemplateName, string TemplateVersion, IReadOnlyDictionary<string, object?> Inputs);
