using System.Text.Json.Nodes;
using Proton.Sdk.Platform;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Api;

/// <summary>List*ProvisionedResources: the stack the platform provisioned for a target, with the engine of its template.</summary>
internal sealed partial class ProtonApiHandler
{
    private async Task<JsonObject> ListEnvironmentProvisionedResourcesAsync(ApiRequest r, CancellationToken ct)
    {
        var name = r.Required("environmentName");
        var e = await Platform.GetEnvironmentAsync(name, ct).ConfigureAwait(false) ?? throw ProtonApiException.NotFound($"The environment {name} was not found.");
        return await ProvisionedResourcesAsync(r, e, InfrastructurePartKind.Infrastructure, ct).ConfigureAwait(false);
    }

    private async Task<JsonObject> ListServiceInstanceProvisionedResourcesAsync(ApiRequest r, CancellationToken ct)
    {
        var instance = await RequireInstanceAsync(r.Required("serviceName"), r.Required("serviceInstanceName"), ct).ConfigureAwait(false);
        return await ProvisionedResourcesAsync(r, instance, InfrastructurePartKind.InstanceInfrastructure, ct).ConfigureAwait(false);
    }

    private async Task<JsonObject> ListServicePipelineProvisionedResourcesAsync(ApiRequest r, CancellationToken ct)
    {
        var pipeline = await RequirePipelineAsync(r.Required("serviceName"), ct).ConfigureAwait(false);
        return await ProvisionedResourcesAsync(r, pipeline, InfrastructurePartKind.PipelineInfrastructure, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Proton listed the stack (CloudFormation) or the Terraform resources of a target. This host knows the stack name it
    /// provisioned (<c>identifier</c> and <c>name</c>) and the engine from the template's infrastructure part; a target
    /// with no stack yet (never deployed, or deleted) has none.
    /// </summary>
    private async Task<JsonObject> ProvisionedResourcesAsync(ApiRequest r, DeployableRecord target, InfrastructurePartKind part, CancellationToken ct)
    {
        var items = new List<JsonObject>();
        if (target.StackName is { } stack)
        {
            var engine = "CLOUDFORMATION";
            var version = await Platform.Registry.GetVersionAsync(target.TemplateName, target.TemplateVersion, ct).ConfigureAwait(false);
            if (version is not null)
            {
                var bundle = await Platform.Registry.LoadBundleAsync(version, ct).ConfigureAwait(false);
                if (bundle.Part(part) is { ProvisioningMethod: ProvisioningMethod.Terraform })
                {
                    engine = "TERRAFORM";
                }
            }

            items.Add(new JsonObject { ["identifier"] = stack, ["name"] = stack, ["provisioningEngine"] = engine });
        }

        var (page, next) = r.Page(items, _options.DefaultPageSize);
        return WithToken(new JsonObject { ["provisionedResources"] = new JsonArray(page.Select(o => (JsonNode)o).ToArray()) }, next);
    }
}
