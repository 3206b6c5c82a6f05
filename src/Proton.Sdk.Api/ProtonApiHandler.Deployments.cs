using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proton.Sdk.Platform;

namespace Proton.Sdk.Api;

/// <summary>Deployments, the resources summary, external-apply notifications and tags.</summary>
internal sealed partial class ProtonApiHandler
{
    private const string TagsCollection = "proton-api-tags";

    private async Task<DeployableRecord?> TargetOfAsync(DeploymentRecord d, CancellationToken ct) => d.TargetType switch
    {
        DeploymentTargetType.Environment => await Platform.GetEnvironmentAsync(d.EnvironmentName ?? d.Target, ct).ConfigureAwait(false),
        DeploymentTargetType.ServiceInstance => await Platform.GetServiceInstanceAsync(d.ServiceName!, d.InstanceName!, ct).ConfigureAwait(false),
        _ => (await Platform.GetServiceAsync(d.ServiceName ?? d.Target, ct).ConfigureAwait(false))?.Pipeline,
    };

    private async Task<JsonObject> ListDeploymentsAsync(ApiRequest r, CancellationToken ct)
    {
        NotServed(r, "componentName");
        var environment = r.Optional("environmentName");
        var service = r.Optional("serviceName");
        var instance = r.Optional("serviceInstanceName");
        if (instance is not null && service is null)
        {
            throw ProtonApiException.Validation("serviceInstanceName needs serviceName.");
        }

        var all = (await Platform.ListDeploymentsAsync(environment, service, instance, ct).ConfigureAwait(false)).Reverse().ToList();
        var (page, next) = r.Page(all, _options.DefaultPageSize);
        return WithToken(new JsonObject { ["deployments"] = new JsonArray(page.Select(d => (JsonNode)_shapes.Deployment(d, null, summary: true)).ToArray()) }, next);
    }

    private async Task<JsonObject> GetDeploymentAsync(ApiRequest r, CancellationToken ct)
    {
        NotServed(r, "componentName");
        var id = r.Required("id");
        var d = await Platform.GetDeploymentAsync(id, ct).ConfigureAwait(false);
        if (d is null
            || (r.Optional("environmentName") is { } env && d.EnvironmentName != env)
            || (r.Optional("serviceName") is { } service && d.ServiceName != service)
            || (r.Optional("serviceInstanceName") is { } instance && d.InstanceName != instance))
        {
            throw ProtonApiException.NotFound($"The deployment {id} was not found.");
        }

        return new JsonObject { ["deployment"] = _shapes.Deployment(d, await TargetOfAsync(d, ct).ConfigureAwait(false), summary: false) };
    }

    private async Task<JsonObject> GetResourcesSummaryAsync(ApiRequest r, CancellationToken ct)
    {
        var rows = await Platform.GetSummaryAsync(ct).ConfigureAwait(false);
        JsonObject Counts(DeploymentTargetType type)
        {
            var of = rows.Where(x => x.ResourceType == type).ToList();
            return new JsonObject
            {
                ["total"] = of.Sum(x => x.Total),
                ["upToDate"] = of.Sum(x => x.UpToDate),
                ["behindMinor"] = of.Sum(x => x.BehindMinor),
                ["behindMajor"] = of.Sum(x => x.BehindMajor),
                ["failed"] = of.Sum(x => x.Failed),
            };
        }

        var templates = await Platform.Registry.ListTemplatesAsync(ct).ConfigureAwait(false);
        var services = await Platform.ListServicesAsync(ct).ConfigureAwait(false);
        return new JsonObject
        {
            ["counts"] = new JsonObject
            {
                ["environments"] = Counts(DeploymentTargetType.Environment),
                ["serviceInstances"] = Counts(DeploymentTargetType.ServiceInstance),
                ["pipelines"] = Counts(DeploymentTargetType.ServicePipeline),
                ["environmentTemplates"] = new JsonObject { ["total"] = templates.Count(t => t.Kind == Templates.TemplateKind.Environment) },
                ["serviceTemplates"] = new JsonObject { ["total"] = templates.Count(t => t.Kind == Templates.TemplateKind.Service) },
                ["services"] = new JsonObject
                {
                    ["total"] = services.Count,
                    ["failed"] = services.Count(s => s.Status is ServiceStatus.CreateFailed or ServiceStatus.UpdateFailed or ServiceStatus.DeleteFailed),
                },
            },
        };
    }

    private async Task<JsonObject> NotifyAsync(ApiRequest r, CancellationToken ct)
    {
        var arn = r.Required("resourceArn");
        var status = r.Optional("status") is { } s ? s : throw ProtonApiException.Validation("1 validation error detected: Value null at 'status' failed to satisfy constraint: this host needs the status (SUCCEEDED, FAILED or IN_PROGRESS)");
        if (status is not ("SUCCEEDED" or "FAILED" or "IN_PROGRESS"))
        {
            throw ProtonApiException.Validation($"1 validation error detected: Value '{status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [IN_PROGRESS, FAILED, SUCCEEDED]");
        }

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.Element("outputs") is { ValueKind: JsonValueKind.Array } list)
        {
            foreach (var o in list.EnumerateArray())
            {
                var item = new ApiRequest(r.Operation, o);
                outputs[item.Required("key")] = item.Optional("valueString") ?? string.Empty;
            }
        }

        var target = await ResolveArnAsync(arn, ct).ConfigureAwait(false) as DeployableRecord
            ?? throw ProtonApiException.Validation($"resourceArn {arn} is not an environment, service instance or pipeline.");
        var id = r.Optional("deploymentId") ?? target.LastAttemptedDeploymentId
            ?? throw ProtonApiException.NotFound($"{arn} has no deployment.");
        var deployment = await Platform.GetDeploymentAsync(id, ct).ConfigureAwait(false);
        if (deployment is null || _shapes.Arn(Shapes.TargetResource(deployment)) != arn)
        {
            throw ProtonApiException.NotFound($"The deployment {id} of {arn} was not found.");
        }

        if (status == "IN_PROGRESS")
        {
            return !deployment.IsFinished ? []
                : throw ProtonApiException.Conflict($"The deployment {id} has ended ({Shapes.Status(deployment.Status)}).");
        }

        // The platform marks the target waiting just before the deployment record; give a notification that arrives in
        // between a moment (2 s at most) instead of refusing it.
        for (var i = 0; i < 40 && deployment.Status == DeploymentStatus.InProgress; i++)
        {
            await Task.Delay(50, ct).ConfigureAwait(false);
            deployment = await Platform.GetDeploymentAsync(id, ct).ConfigureAwait(false) ?? deployment;
        }

        await Platform.NotifyDeploymentAsync(id, status == "SUCCEEDED", outputs, r.Optional("statusMessage"), ct).ConfigureAwait(false);
        return [];
    }

    /// <summary>The record an ARN of this host names (a template, version, environment, service, instance, pipeline or deployment); ResourceNotFound otherwise.</summary>
    private async Task<object> ResolveArnAsync(string arn, CancellationToken ct)
    {
        var prefix = _shapes.Arn(string.Empty);
        if (!arn.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw ProtonApiException.Validation($"resourceArn must start with {prefix} on this host.");
        }

        var path = arn[prefix.Length..].Split('/');
        object? found = path switch
        {
            ["environment-template" or "service-template", var t] when !t.Contains(':', StringComparison.Ordinal) => await Platform.Registry.GetTemplateAsync(t, ct).ConfigureAwait(false),
            ["environment-template" or "service-template", var tv] => Versioning.SemanticVersion.TryParse(tv[(tv.IndexOf(':', StringComparison.Ordinal) + 1)..], out var v)
                ? await Platform.Registry.GetVersionAsync(tv[..tv.IndexOf(':', StringComparison.Ordinal)], v!.ToString(), ct).ConfigureAwait(false) : null,
            ["environment", var e] => await Platform.GetEnvironmentAsync(e, ct).ConfigureAwait(false),
            ["service", var s] => await Platform.GetServiceAsync(s, ct).ConfigureAwait(false),
            ["service", var s, "service-instance", var i] => await Platform.GetServiceInstanceAsync(s, i, ct).ConfigureAwait(false),
            ["service", var s, "pipeline"] => (await Platform.GetServiceAsync(s, ct).ConfigureAwait(false))?.Pipeline,
            ["deployment", var id] => await Platform.GetDeploymentAsync(id, ct).ConfigureAwait(false),
            _ => null,
        };
        return found ?? throw ProtonApiException.NotFound($"The resource {arn} was not found.");
    }

    private static Dictionary<string, string> ReadTags(ApiRequest r, string member = "tags")
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.Element(member) is not { } list)
        {
            return tags;
        }

        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > 50)
        {
            throw ProtonApiException.Validation($"{member} must be a list of at most 50 tags.");
        }

        foreach (var t in list.EnumerateArray())
        {
            var item = new ApiRequest(r.Operation, t);
            var key = item.Required("key");
            var value = t.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw ProtonApiException.Validation($"Tag {key} needs a value.");
            if (key.Length > 128 || value.Length > 256 || key.StartsWith("aws:", StringComparison.Ordinal))
            {
                throw ProtonApiException.Validation($"Tag {key}: keys have at most 128 characters and do not start with aws:, values at most 256.");
            }

            tags[key] = value;
        }

        return tags;
    }

    private static string TagKey(string arn) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(arn))).ToLowerInvariant();

    private async Task<(Dictionary<string, string> Tags, string? Revision)> GetTagsAsync(string arn, CancellationToken ct)
    {
        var r = await Store.GetAsync(TagsCollection, TagKey(arn), ct).ConfigureAwait(false);
        return r is null ? (new Dictionary<string, string>(StringComparer.Ordinal), null)
            : (JsonSerializer.Deserialize<Dictionary<string, string>>(r.Document.Span) ?? [], r.Revision);
    }

    private async Task PutTagsAsync(string arn, Dictionary<string, string> add, CancellationToken ct, IReadOnlyCollection<string>? remove = null)
    {
        if (add.Count == 0 && (remove is null || remove.Count == 0))
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            var (tags, revision) = await GetTagsAsync(arn, ct).ConfigureAwait(false);
            foreach (var (k, v) in add)
            {
                tags[k] = v;
            }

            foreach (var k in remove ?? [])
            {
                tags.Remove(k);
            }

            if (tags.Count > 50)
            {
                throw new ProtonApiException(ProtonApiErrors.ServiceQuotaExceeded, 402, $"{arn} would have {tags.Count} tags; at most 50 are allowed.");
            }

            try
            {
                await Store.PutAsync(TagsCollection, TagKey(arn), JsonSerializer.SerializeToUtf8Bytes(tags), revision, ct).ConfigureAwait(false);
                return;
            }
            catch (Storage.StoreConflictException) when (attempt < 5)
            {
                // Another writer changed the tags; read again.
            }
        }
    }

    private async Task<JsonObject> ListTagsAsync(ApiRequest r, CancellationToken ct)
    {
        var arn = r.Required("resourceArn");
        await ResolveArnAsync(arn, ct).ConfigureAwait(false);
        var (tags, _) = await GetTagsAsync(arn, ct).ConfigureAwait(false);
        var (page, next) = r.Page(tags.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList(), _options.DefaultPageSize);
        return WithToken(new JsonObject { ["tags"] = new JsonArray(page.Select(kv => (JsonNode)new JsonObject { ["key"] = kv.Key, ["value"] = kv.Value }).ToArray()) }, next);
    }

    private async Task<JsonObject> TagResourceAsync(ApiRequest r, CancellationToken ct)
    {
        var arn = r.Required("resourceArn");
        if (r.Element("tags") is null)
        {
            throw ProtonApiException.Validation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
        }

        var tags = ReadTags(r);
        await ResolveArnAsync(arn, ct).ConfigureAwait(false);
        await PutTagsAsync(arn, tags, ct).ConfigureAwait(false);
        return [];
    }

    private async Task<JsonObject> UntagResourceAsync(ApiRequest r, CancellationToken ct)
    {
        var arn = r.Required("resourceArn");
        if (r.Element("tagKeys") is not { ValueKind: JsonValueKind.Array } keys)
        {
            throw ProtonApiException.Validation("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
        }

        var remove = keys.EnumerateArray().Select(k => k.ValueKind == JsonValueKind.String ? k.GetString()! : throw ProtonApiException.Validation("tagKeys must be strings.")).ToList();
        await ResolveArnAsync(arn, ct).ConfigureAwait(false);
        await PutTagsAsync(arn, [], ct, remove).ConfigureAwait(false);
        return [];
    }
}
