using System.Text.Json.Nodes;
using Proton.Sdk.Platform;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Api;

/// <summary>Environments: create, read, list, update with Proton's deployment types, delete, outputs, cancel.</summary>
internal sealed partial class ProtonApiHandler
{
    private static readonly string[] DeploymentTypes = ["NONE", "CURRENT_VERSION", "MINOR_VERSION", "MAJOR_VERSION"];

    private static DeploymentUpdateType UpdateType(string text) => text switch
    {
        "NONE" => DeploymentUpdateType.None,
        "CURRENT_VERSION" => DeploymentUpdateType.CurrentVersion,
        "MINOR_VERSION" => DeploymentUpdateType.MinorVersion,
        _ => DeploymentUpdateType.MajorVersion,
    };

    /// <summary>The version text for the platform: <c>M</c> (newest published in the major) or <c>M.m</c>.</summary>
    private static string? VersionText(string? major, string? minor)
        => major is null ? (minor is null ? null : throw ProtonApiException.Validation("templateMinorVersion needs templateMajorVersion."))
            : minor is null ? major : $"{major}.{minor}";

    private static void NotServed(ApiRequest r, params string[] members)
    {
        foreach (var m in members)
        {
            if (r.Element(m) is not null)
            {
                throw ProtonApiException.Validation($"{m} is not served by this host ({r.Operation}): Proton.Sdk provisions with the host's configured provisioner and account.");
            }
        }
    }

    private static IReadOnlyDictionary<string, object?> EnvironmentInputs(string spec)
    {
        var parsed = SpecParser.Parse(spec, "spec").GetSpecOrThrow();
        return parsed is EnvironmentSpec env ? env.Spec
            : throw ProtonApiException.Validation("spec must be an environment spec (proton: EnvironmentSpec).");
    }

    private async Task<EnvironmentRecord> RequireEnvironmentAsync(string name, CancellationToken ct)
        => await Platform.GetEnvironmentAsync(name, ct).ConfigureAwait(false) ?? throw ProtonApiException.NotFound($"The environment {name} was not found.");

    private async Task<JsonObject> EnvironmentResultAsync(string name, JsonObject? fallback, CancellationToken ct)
    {
        var env = await Platform.GetEnvironmentAsync(name, ct).ConfigureAwait(false);
        return new JsonObject { ["environment"] = env is null ? fallback : _shapes.Environment(env, summary: false) };
    }

    private async Task<JsonObject> CreateEnvironmentAsync(ApiRequest r, CancellationToken ct)
    {
        var name = r.Required("name");
        var templateName = r.Required("templateName");
        var version = VersionText(r.Required("templateMajorVersion"), r.Optional("templateMinorVersion"));
        var spec = r.Required("spec");
        NotServed(r, "provisioningRepository", "environmentAccountConnectionId", "codebuildRoleArn", "componentRoleArn");
        var inputs = EnvironmentInputs(spec);
        var tags = ReadTags(r);
        if (await Platform.GetEnvironmentAsync(name, ct).ConfigureAwait(false) is not null)
        {
            throw ProtonApiException.Conflict($"The environment {name} already exists.");
        }

        var request = new CreateEnvironmentRequest { Name = name, TemplateName = templateName, TemplateVersion = version, Inputs = inputs, Description = r.Optional("description") };
        await _background.StartAsync($"CreateEnvironment {name}", (p, token) => Platform.CreateEnvironmentAsync(request, p, token)).ConfigureAwait(false);
        await PutTagsAsync(_shapes.Arn($"environment/{name}"), tags, ct).ConfigureAwait(false);
        return await EnvironmentResultAsync(name, null, ct).ConfigureAwait(false);
    }

    private async Task<JsonObject> GetEnvironmentAsync(ApiRequest r, CancellationToken ct)
        => new() { ["environment"] = _shapes.Environment(await RequireEnvironmentAsync(r.Required("name"), ct).ConfigureAwait(false), summary: false) };

    private async Task<JsonObject> ListEnvironmentsAsync(ApiRequest r, CancellationToken ct)
    {
        var filters = new List<(string Template, string Major)>();
        if (r.Element("environmentTemplates") is { ValueKind: System.Text.Json.JsonValueKind.Array } list)
        {
            foreach (var f in list.EnumerateArray())
            {
                var item = new ApiRequest(r.Operation, f);
                filters.Add((item.Required("templateName"), item.Required("majorVersion")));
            }
        }

        var all = (await Platform.ListEnvironmentsAsync(ct).ConfigureAwait(false))
            .Where(e => filters.Count == 0 || filters.Any(f => f.Template == e.TemplateName && f.Major == Shapes.Major(e.TemplateVersion))).ToList();
        var (page, next) = r.Page(all, _options.DefaultPageSize);
        return WithToken(new JsonObject { ["environments"] = new JsonArray(page.Select(e => (JsonNode)_shapes.Environment(e, summary: true)).ToArray()) }, next);
    }

    private async Task<JsonObject> UpdateEnvironmentAsync(ApiRequest r, CancellationToken ct)
    {
        var name = r.Required("name");
        var type = UpdateType(r.Enum("deploymentType", DeploymentTypes));
        NotServed(r, "provisioningRepository", "environmentAccountConnectionId", "codebuildRoleArn", "componentRoleArn");
        var version = VersionText(r.Optional("templateMajorVersion"), r.Optional("templateMinorVersion"));
        var inputs = r.Optional("spec") is { } spec ? EnvironmentInputs(spec) : null;
        await RequireEnvironmentAsync(name, ct).ConfigureAwait(false);
        var request = new UpdateRequest { UpdateType = type, TemplateVersion = type is DeploymentUpdateType.MinorVersion or DeploymentUpdateType.MajorVersion ? version : null, Inputs = inputs, Description = r.Optional("description") };
        await _background.StartAsync($"UpdateEnvironment {name}", (p, token) => Platform.UpdateEnvironmentAsync(name, request, p, token)).ConfigureAwait(false);
        return await EnvironmentResultAsync(name, null, ct).ConfigureAwait(false);
    }

    private async Task<JsonObject> DeleteEnvironmentAsync(ApiRequest r, CancellationToken ct)
    {
        var name = r.Required("name");
        var before = _shapes.Environment(await RequireEnvironmentAsync(name, ct).ConfigureAwait(false), summary: false);
        await _background.StartAsync($"DeleteEnvironment {name}", (p, token) => Platform.DeleteEnvironmentAsync(name, p, token)).ConfigureAwait(false);
        before["deploymentStatus"] = "DELETE_COMPLETE";
        return await EnvironmentResultAsync(name, before, ct).ConfigureAwait(false);
    }

    private async Task<JsonObject> ListEnvironmentOutputsAsync(ApiRequest r, CancellationToken ct)
    {
        var env = await RequireEnvironmentAsync(r.Required("environmentName"), ct).ConfigureAwait(false);
        IReadOnlyDictionary<string, string> outputs = env.Outputs;
        if (r.Optional("deploymentId") is { } id)
        {
            var d = await Platform.GetDeploymentAsync(id, ct).ConfigureAwait(false);
            outputs = d is not null && d.TargetType == DeploymentTargetType.Environment && d.EnvironmentName == env.Name ? d.Outputs
                : throw ProtonApiException.NotFound($"The deployment {id} of environment {env.Name} was not found.");
        }

        return OutputsPage(r, outputs);
    }

    private JsonObject OutputsPage(ApiRequest r, IReadOnlyDictionary<string, string> outputs)
    {
        var (page, next) = r.Page(outputs.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList(), _options.DefaultPageSize);
        return WithToken(new JsonObject { ["outputs"] = Shapes.Outputs(page) }, next);
    }

    private async Task<JsonObject> CancelEnvironmentDeploymentAsync(ApiRequest r, CancellationToken ct)
    {
        var env = await RequireEnvironmentAsync(r.Required("environmentName"), ct).ConfigureAwait(false);
        var cancelled = await CancelAsync($"environment {env.Name}", env, ct).ConfigureAwait(false);
        return WithCancelStatus(await EnvironmentResultAsync(env.Name, null, ct).ConfigureAwait(false), "environment", cancelled);
    }

    /// <summary>The cancel's own status while the resource's record has not caught up yet (it still reads IN_PROGRESS).</summary>
    private static JsonObject WithCancelStatus(JsonObject result, string member, DeploymentRecord cancelled)
    {
        if (result[member] is JsonObject resource && resource["deploymentStatus"]?.GetValue<string>() == "IN_PROGRESS" && cancelled.Status != DeploymentStatus.InProgress)
        {
            resource["deploymentStatus"] = Shapes.Status(cancelled.Status);
        }

        return result;
    }

    private async Task<DeploymentRecord> CancelAsync(string what, DeployableRecord target, CancellationToken ct)
    {
        if (!target.IsBusy || target.LastAttemptedDeploymentId is null)
        {
            throw ProtonApiException.Conflict($"The {what} has no deployment in progress to cancel (it is {Shapes.Status(target.DeploymentStatus)}).");
        }

        return await Platform.CancelDeploymentAsync(target.LastAttemptedDeploymentId, ct).ConfigureAwait(false);
    }
}
