using System.Text.Json;
using System.Text.Json.Nodes;
using Proton.Sdk.Platform;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Api;

/// <summary>Proton's response shapes (names, enums, epoch-second timestamps) from the platform's records.</summary>
internal sealed class Shapes(string region, string accountId)
{
    public string Arn(string resource) => $"arn:aws:proton:{region}:{accountId}:{resource}";

    public static JsonNode Time(DateTimeOffset t) => JsonValue.Create(t.ToUnixTimeMilliseconds() / 1000.0);

    public static string Major(string version) => SemanticVersion.TryParse(version, out var v) ? v!.Major.ToString(System.Globalization.CultureInfo.InvariantCulture) : version;

    /// <summary>Proton's minor version: <c>2</c> for 1.2.0, <c>2.1</c> for 1.2.1 (a patch the registry took).</summary>
    public static string Minor(string version)
        => SemanticVersion.TryParse(version, out var v) ? (v!.Patch == 0 ? $"{v.Minor}" : $"{v.Minor}.{v.Patch}") : "0";

    public static string ProtonVersion(string version) => $"{Major(version)}.{Minor(version)}";

    public static string Status(DeploymentStatus s) => s switch
    {
        DeploymentStatus.InProgress or DeploymentStatus.AwaitingExternalApply => "IN_PROGRESS",
        DeploymentStatus.Succeeded => "SUCCEEDED",
        DeploymentStatus.Failed => "FAILED",
        DeploymentStatus.Cancelling => "CANCELLING",
        DeploymentStatus.Cancelled => "CANCELLED",
        DeploymentStatus.DeleteInProgress => "DELETE_IN_PROGRESS",
        DeploymentStatus.DeleteComplete => "DELETE_COMPLETE",
        _ => "DELETE_FAILED",
    };

    public static string Status(ServiceStatus s) => s switch
    {
        ServiceStatus.CreateInProgress => "CREATE_IN_PROGRESS",
        ServiceStatus.CreateFailed => "CREATE_FAILED",
        ServiceStatus.Active => "ACTIVE",
        ServiceStatus.UpdateInProgress => "UPDATE_IN_PROGRESS",
        ServiceStatus.UpdateFailed => "UPDATE_FAILED",
        ServiceStatus.DeleteInProgress => "DELETE_IN_PROGRESS",
        _ => "DELETE_FAILED",
    };

    public static string Status(TemplateVersionStatus s) => s == TemplateVersionStatus.Published ? "PUBLISHED" : "DRAFT";

    public static string Spec(string kind, IReadOnlyDictionary<string, object?> inputs)
        => new JsonObject { ["proton"] = kind, ["spec"] = JsonSerializer.SerializeToNode(inputs) }.ToJsonString();

    public JsonObject Template(TemplateRecord t, TemplateVersionRecord? recommended)
    {
        var kind = t.Kind == Templates.TemplateKind.Environment ? "environment-template" : "service-template";
        var o = new JsonObject
        {
            ["arn"] = Arn($"{kind}/{t.Name}"),
            ["name"] = t.Name,
            ["createdAt"] = Time(t.CreatedAt),
            ["lastModifiedAt"] = Time(t.CreatedAt),
        };
        Add(o, "displayName", t.DisplayName);
        Add(o, "description", t.Description);
        Add(o, "recommendedVersion", recommended is null ? null : ProtonVersion(recommended.Version));
        return o;
    }

    public JsonObject TemplateVersion(TemplateVersionRecord v, Templates.TemplateKind kind, TemplateVersionRecord? recommendedMinor, bool summary)
    {
        var o = new JsonObject
        {
            ["arn"] = Arn($"{(kind == Templates.TemplateKind.Environment ? "environment-template" : "service-template")}/{v.TemplateName}:{ProtonVersion(v.Version)}"),
            ["templateName"] = v.TemplateName,
            ["majorVersion"] = Major(v.Version),
            ["minorVersion"] = Minor(v.Version),
            ["status"] = Status(v.Status),
            ["createdAt"] = Time(v.CreatedAt),
            ["lastModifiedAt"] = Time(v.CreatedAt),
        };
        Add(o, "description", v.Description);
        Add(o, "statusMessage", v.Status == TemplateVersionStatus.Deprecated ? "deprecated: no new resources; existing ones may still update to it" : null);
        Add(o, "recommendedMinorVersion", recommendedMinor is null ? null : Minor(recommendedMinor.Version));
        if (kind == Templates.TemplateKind.Service && !summary)
        {
            o["compatibleEnvironmentTemplates"] = new JsonArray(v.CompatibleEnvironments.Select(c => (JsonNode)new JsonObject { ["templateName"] = c.TemplateName, ["majorVersion"] = c.MajorVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray());
        }

        return o;
    }

    public JsonObject Environment(EnvironmentRecord e, bool summary)
    {
        var o = Deployable(e, $"environment/{e.Name}");
        o["name"] = e.Name;
        Add(o, "environmentAccountId", e.AccountId);
        Add(o, "description", e.Description);
        if (e.Provisioning == EnvironmentProvisioning.CustomerManaged)
        {
            o["provisioning"] = "CUSTOMER_MANAGED";
        }

        if (!summary)
        {
            o["spec"] = Spec("EnvironmentSpec", e.Inputs);
        }

        return o;
    }

    public JsonObject Instance(ServiceInstanceRecord i, bool summary)
    {
        var o = Deployable(i, $"service/{i.ServiceName}/service-instance/{i.Name}");
        o["name"] = i.Name;
        o["serviceName"] = i.ServiceName;
        o["environmentName"] = i.EnvironmentName;
        if (!summary)
        {
            o["spec"] = InstanceSpec(i);
        }

        return o;
    }

    public static string InstanceSpec(ServiceInstanceRecord i)
        => new JsonObject
        {
            ["proton"] = "ServiceSpec",
            ["instances"] = new JsonArray(new JsonObject { ["name"] = i.Name, ["environment"] = i.EnvironmentName, ["spec"] = JsonSerializer.SerializeToNode(i.Inputs) }),
        }.ToJsonString();

    public JsonObject Pipeline(ServiceRecord s, PipelineRecord p)
    {
        var o = Deployable(p, $"service/{s.Name}/pipeline");
        o["spec"] = new JsonObject { ["proton"] = "ServiceSpec", ["pipeline"] = JsonSerializer.SerializeToNode(p.Inputs) }.ToJsonString();
        return o;
    }

    public JsonObject Service(ServiceRecord s, IReadOnlyList<ServiceInstanceRecord>? instances)
    {
        var o = new JsonObject
        {
            ["arn"] = Arn($"service/{s.Name}"),
            ["name"] = s.Name,
            ["templateName"] = s.TemplateName,
            ["status"] = Status(s.Status),
            ["createdAt"] = Time(s.CreatedAt),
            ["lastModifiedAt"] = Time(s.CreatedAt),
        };
        Add(o, "statusMessage", s.StatusMessage);
        Add(o, "description", s.Description);
        if (instances is not null)
        {
            var spec = new JsonObject { ["proton"] = "ServiceSpec" };
            if (s.Pipeline is not null)
            {
                spec["pipeline"] = JsonSerializer.SerializeToNode(s.Pipeline.Inputs);
            }

            spec["instances"] = new JsonArray(instances.Select(i => (JsonNode)new JsonObject { ["name"] = i.Name, ["environment"] = i.EnvironmentName, ["spec"] = JsonSerializer.SerializeToNode(i.Inputs) }).ToArray());
            o["spec"] = spec.ToJsonString();
            Add(o, "repositoryId", s.RepositoryId);
            Add(o, "branchName", s.BranchName);
            Add(o, "repositoryConnectionArn", s.RepositoryConnectionArn);
            if (s.Pipeline is not null)
            {
                o["pipeline"] = Pipeline(s, s.Pipeline);
            }
        }

        return o;
    }

    public JsonObject Deployment(DeploymentRecord d, DeployableRecord? target, bool summary)
    {
        var o = new JsonObject
        {
            ["arn"] = Arn($"deployment/{d.Id}"),
            ["id"] = d.Id,
            ["deploymentStatus"] = Status(d.Status),
            ["environmentName"] = d.EnvironmentName ?? string.Empty,
            ["targetArn"] = Arn(TargetResource(d)),
            ["targetResourceType"] = d.TargetType switch
            {
                DeploymentTargetType.Environment => "ENVIRONMENT",
                DeploymentTargetType.ServiceInstance => "SERVICE_INSTANCE",
                _ => "SERVICE_PIPELINE",
            },
            ["targetResourceCreatedAt"] = Time(target?.CreatedAt ?? d.CreatedAt),
            ["createdAt"] = Time(d.CreatedAt),
            ["lastModifiedAt"] = Time(d.LastModifiedAt == default ? d.CreatedAt : d.LastModifiedAt),
        };
        Add(o, "serviceName", d.ServiceName);
        Add(o, "serviceInstanceName", d.InstanceName);
        if (d.CompletedAt is { } done)
        {
            o["completedAt"] = Time(done);
        }

        Add(o, "lastAttemptedDeploymentId", target?.LastAttemptedDeploymentId);
        Add(o, "lastSucceededDeploymentId", target?.LastSucceededDeploymentId);
        if (!summary)
        {
            Add(o, "deploymentStatusMessage", d.StatusMessage);
            if (d.InitialState is { } initial)
            {
                o["initialState"] = State(d.TargetType, initial);
            }

            if (d.TargetState is { } targetState)
            {
                o["targetState"] = State(d.TargetType, targetState);
            }
        }

        return o;
    }

    public static string TargetResource(DeploymentRecord d) => d.TargetType switch
    {
        DeploymentTargetType.Environment => $"environment/{d.EnvironmentName ?? d.Target}",
        DeploymentTargetType.ServiceInstance => $"service/{d.ServiceName}/service-instance/{d.InstanceName}",
        _ => $"service/{d.ServiceName ?? d.Target}/pipeline",
    };

    public static JsonArray Outputs(IEnumerable<KeyValuePair<string, string>> outputs)
        => new(outputs.Select(kv => (JsonNode)new JsonObject { ["key"] = kv.Key, ["valueString"] = kv.Value }).ToArray());

    private static JsonObject State(DeploymentTargetType type, DeploymentState s)
    {
        var state = new JsonObject
        {
            ["templateName"] = s.TemplateName,
            ["templateMajorVersion"] = Major(s.TemplateVersion),
            ["templateMinorVersion"] = Minor(s.TemplateVersion),
            ["spec"] = Spec(type == DeploymentTargetType.Environment ? "EnvironmentSpec" : "ServiceSpec", s.Inputs),
        };
        var member = type switch
        {
            DeploymentTargetType.Environment => "environment",
            DeploymentTargetType.ServiceInstance => "serviceInstance",
            _ => "servicePipeline",
        };
        return new JsonObject { [member] = state };
    }

    private JsonObject Deployable(DeployableRecord r, string resource)
    {
        var o = new JsonObject
        {
            ["arn"] = Arn(resource),
            ["templateName"] = r.TemplateName,
            ["templateMajorVersion"] = Major(r.TemplateVersion),
            ["templateMinorVersion"] = Minor(r.TemplateVersion),
            ["deploymentStatus"] = Status(r.DeploymentStatus),
            ["createdAt"] = Time(r.CreatedAt),
            ["lastDeploymentAttemptedAt"] = Time(r.LastDeploymentAttemptedAt ?? r.CreatedAt),
            ["lastDeploymentSucceededAt"] = Time(r.LastDeploymentSucceededAt ?? r.CreatedAt),
        };
        Add(o, "deploymentStatusMessage", r.DeploymentStatusMessage);
        Add(o, "lastAttemptedDeploymentId", r.LastAttemptedDeploymentId);
        Add(o, "lastSucceededDeploymentId", r.LastSucceededDeploymentId);
        return o;
    }

    private static void Add(JsonObject o, string name, string? value)
    {
        if (value is not null)
        {
            o[name] = value;
        }
    }
}
