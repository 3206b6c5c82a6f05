using System.Text.Json.Nodes;
using Proton.Sdk.Platform;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Api;

/// <summary>Services, service instances and pipelines.</summary>
internal sealed partial class ProtonApiHandler
{
    private static ServiceSpec ServiceSpecOf(string spec)
        => SpecParser.Parse(spec, "spec").GetSpecOrThrow() as ServiceSpec
            ?? throw ProtonApiException.Validation("spec must be a service spec (proton: ServiceSpec).");

    private async Task<ServiceRecord> RequireServiceAsync(string name, CancellationToken ct)
        => await Platform.GetServiceAsync(name, ct).ConfigureAwait(false) ?? throw ProtonApiException.NotFound($"The service {name} was not found.");

    private async Task<ServiceInstanceRecord> RequireInstanceAsync(string service, string name, CancellationToken ct)
        => await Platform.GetServiceInstanceAsync(service, name, ct).ConfigureAwait(false) ?? throw ProtonApiException.NotFound($"The service instance {name} of service {service} was not found.");

    private async Task<PipelineRecord> RequirePipelineAsync(string service, CancellationToken ct)
        => (await RequireServiceAsync(service, ct).ConfigureAwait(false)).Pipeline ?? throw ProtonApiException.NotFound($"The service {service} has no pipeline.");

    private async Task<JsonObject?> ServiceShapeAsync(string name, CancellationToken ct)
    {
        var s = await Platform.GetServiceAsync(name, ct).ConfigureAwait(false);
        return s is null ? null : _shapes.Service(s, await Platform.ListServiceInstancesAsync(name, ct).ConfigureAwait(false));
    }

    private async Task<JsonObject> CreateServiceAsync(ApiRequest r, CancellationToken ct)
    {
        var name = r.Required("name");
        var templateName = r.Required("templateName");
        var version = VersionText(r.Required("templateMajorVersion"), r.Optional("templateMinorVersion"));
        var spec = ServiceSpecOf(r.Required("spec"));
        var tags = ReadTags(r);
        if (await Platform.GetServiceAsync(name, ct).ConfigureAwait(false) is not null)
        {
            throw ProtonApiException.Conflict($"The service {name} already exists.");
        }

        var request = new CreateServiceRequest
        {
            Name = name,
            TemplateName = templateName,
            TemplateVersion = version,
            Spec = spec,
            RepositoryId = r.Optional("repositoryId"),
            BranchName = r.Optional("branchName"),
            RepositoryConnectionArn = r.Optional("repositoryConnectionArn"),
            Description = r.Optional("description"),
        };
        await _background.StartAsync($"CreateService {name}", (p, token) => Platform.CreateServiceAsync(request, p, token)).ConfigureAwait(false);
        await PutTagsAsync(_shapes.Arn($"service/{name}"), tags, ct).ConfigureAwait(false);
        return new JsonObject { ["service"] = await ServiceShapeAsync(name, ct).ConfigureAwait(false) };
    }

    private async Task<JsonObject> GetServiceAsync(ApiRequest r, CancellationToken ct)
    {
        var name = r.Required("name");
        return new JsonObject { ["service"] = await ServiceShapeAsync(name, ct).ConfigureAwait(false) ?? throw ProtonApiException.NotFound($"The service {name} was not found.") };
    }

    private async Task<JsonObject> ListServicesAsync(ApiRequest r, CancellationToken ct)
    {
        var (page, next) = r.Page(await Platform.ListServicesAsync(ct).ConfigureAwait(false), _options.DefaultPageSize);
        return WithToken(new JsonObject { ["services"] = new JsonArray(page.Select(s => (JsonNode)_shapes.Service(s, null)).ToArray()) }, next);
    }

    private async Task<JsonObject> UpdateServiceAsync(ApiRequest r, CancellationToken ct)
    {
        var name = r.Required("name");
        var specText = r.Optional("spec") ?? throw ProtonApiException.Validation("UpdateService without a spec (a description-only change) is not served by this host; pass the service's spec.");
        if (r.Optional("description") is not null)
        {
            throw ProtonApiException.Validation("Changing a service's description is not served by this host.");
        }

        var spec = ServiceSpecOf(specText);
        await RequireServiceAsync(name, ct).ConfigureAwait(false);
        await _background.StartAsync($"UpdateService {name}", (p, token) => Platform.UpdateServiceAsync(name, spec, p, token)).ConfigureAwait(false);
        return new JsonObject { ["service"] = await ServiceShapeAsync(name, ct).ConfigureAwait(false) };
    }

    private async Task<JsonObject> DeleteServiceAsync(ApiRequest r, CancellationToken ct)
    {
        var name = r.Required("name");
        var before = await ServiceShapeAsync(name, ct).ConfigureAwait(false) ?? throw ProtonApiException.NotFound($"The service {name} was not found.");
        await _background.StartAsync($"DeleteService {name}", (p, token) => Platform.DeleteServiceAsync(name, p, token)).ConfigureAwait(false);
        return new JsonObject { ["service"] = await ServiceShapeAsync(name, ct).ConfigureAwait(false) ?? before };
    }

    private async Task<JsonObject> GetServiceInstanceAsync(ApiRequest r, CancellationToken ct)
        => new() { ["serviceInstance"] = _shapes.Instance(await RequireInstanceAsync(r.Required("serviceName"), r.Required("name"), ct).ConfigureAwait(false), summary: false) };

    private async Task<JsonObject> ListServiceInstancesAsync(ApiRequest r, CancellationToken ct)
    {
        NotServed(r, "filters");
        if (r.Optional("sortBy") is not null || r.Optional("sortOrder") is not null)
        {
            throw ProtonApiException.Validation("sortBy and sortOrder are not served by this host; instances are listed by service, then name.");
        }

        List<ServiceInstanceRecord> all = [];
        if (r.Optional("serviceName") is { } service)
        {
            await RequireServiceAsync(service, ct).ConfigureAwait(false);
            all.AddRange(await Platform.ListServiceInstancesAsync(service, ct).ConfigureAwait(false));
        }
        else
        {
            foreach (var s in await Platform.ListServicesAsync(ct).ConfigureAwait(false))
            {
                all.AddRange(await Platform.ListServiceInstancesAsync(s.Name, ct).ConfigureAwait(false));
            }
        }

        var (page, next) = r.Page(all, _options.DefaultPageSize);
        return WithToken(new JsonObject { ["serviceInstances"] = new JsonArray(page.Select(i => (JsonNode)_shapes.Instance(i, summary: true)).ToArray()) }, next);
    }

    private async Task<JsonObject> UpdateServiceInstanceAsync(ApiRequest r, CancellationToken ct)
    {
        var service = r.Required("serviceName");
        var name = r.Required("name");
        var type = UpdateType(r.Enum("deploymentType", DeploymentTypes));
        var version = VersionText(r.Optional("templateMajorVersion"), r.Optional("templateMinorVersion"));
        IReadOnlyDictionary<string, object?>? inputs = null;
        if (r.Optional("spec") is { } specText)
        {
            var spec = ServiceSpecOf(specText);
            inputs = spec.Instances.FirstOrDefault(i => i.Name == name)?.Spec
                ?? throw ProtonApiException.Validation($"spec has no instance named {name}.");
        }

        await RequireInstanceAsync(service, name, ct).ConfigureAwait(false);
        var request = new UpdateRequest { UpdateType = type, TemplateVersion = type is DeploymentUpdateType.MinorVersion or DeploymentUpdateType.MajorVersion ? version : null, Inputs = inputs };
        await _background.StartAsync($"UpdateServiceInstance {service}/{name}", (p, token) => Platform.UpdateServiceInstanceAsync(service, name, request, p, token)).ConfigureAwait(false);
        return new JsonObject { ["serviceInstance"] = _shapes.Instance(await RequireInstanceAsync(service, name, ct).ConfigureAwait(false), summary: false) };
    }

    private async Task<JsonObject> ListServiceInstanceOutputsAsync(ApiRequest r, CancellationToken ct)
    {
        var instance = await RequireInstanceAsync(r.Required("serviceName"), r.Required("serviceInstanceName"), ct).ConfigureAwait(false);
        IReadOnlyDictionary<string, string> outputs = instance.Outputs;
        if (r.Optional("deploymentId") is { } id)
        {
            var d = await Platform.GetDeploymentAsync(id, ct).ConfigureAwait(false);
            outputs = d is not null && d.TargetType == DeploymentTargetType.ServiceInstance && d.ServiceName == instance.ServiceName && d.InstanceName == instance.Name ? d.Outputs
                : throw ProtonApiException.NotFound($"The deployment {id} of service instance {instance.ServiceName}/{instance.Name} was not found.");
        }

        return OutputsPage(r, outputs);
    }

    private async Task<JsonObject> CancelServiceInstanceDeploymentAsync(ApiRequest r, CancellationToken ct)
    {
        var service = r.Required("serviceName");
        var name = r.Required("serviceInstanceName");
        var cancelled = await CancelAsync($"service instance {service}/{name}", await RequireInstanceAsync(service, name, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        return WithCancelStatus(new JsonObject { ["serviceInstance"] = _shapes.Instance(await RequireInstanceAsync(service, name, ct).ConfigureAwait(false), summary: false) }, "serviceInstance", cancelled);
    }

    private async Task<JsonObject> UpdateServicePipelineAsync(ApiRequest r, CancellationToken ct)
    {
        var service = r.Required("serviceName");
        var type = UpdateType(r.Enum("deploymentType", DeploymentTypes));
        var spec = ServiceSpecOf(r.Required("spec"));
        var version = VersionText(r.Optional("templateMajorVersion"), r.Optional("templateMinorVersion"));
        await RequirePipelineAsync(service, ct).ConfigureAwait(false);
        var request = new UpdateRequest { UpdateType = type, TemplateVersion = type is DeploymentUpdateType.MinorVersion or DeploymentUpdateType.MajorVersion ? version : null, Inputs = spec.Pipeline };
        await _background.StartAsync($"UpdateServicePipeline {service}", (p, token) => Platform.UpdateServicePipelineAsync(service, request, p, token)).ConfigureAwait(false);
        var s = await RequireServiceAsync(service, ct).ConfigureAwait(false);
        return new JsonObject { ["pipeline"] = _shapes.Pipeline(s, s.Pipeline!) };
    }

    private async Task<JsonObject> ListServicePipelineOutputsAsync(ApiRequest r, CancellationToken ct)
    {
        var service = r.Required("serviceName");
        var pipeline = await RequirePipelineAsync(service, ct).ConfigureAwait(false);
        IReadOnlyDictionary<string, string> outputs = pipeline.Outputs;
        if (r.Optional("deploymentId") is { } id)
        {
            var d = await Platform.GetDeploymentAsync(id, ct).ConfigureAwait(false);
            outputs = d is not null && d.TargetType == DeploymentTargetType.ServicePipeline && d.ServiceName == service ? d.Outputs
                : throw ProtonApiException.NotFound($"The deployment {id} of the pipeline of service {service} was not found.");
        }

        return OutputsPage(r, outputs);
    }

    private async Task<JsonObject> CancelServicePipelineDeploymentAsync(ApiRequest r, CancellationToken ct)
    {
        var service = r.Required("serviceName");
        var cancelled = await CancelAsync($"pipeline of service {service}", await RequirePipelineAsync(service, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        var s = await RequireServiceAsync(service, ct).ConfigureAwait(false);
        return WithCancelStatus(new JsonObject { ["pipeline"] = _shapes.Pipeline(s, s.Pipeline!) }, "pipeline", cancelled);
    }
}
