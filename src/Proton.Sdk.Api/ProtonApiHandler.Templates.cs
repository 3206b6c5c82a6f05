using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Api;

/// <summary>Environment and service templates and their versions.</summary>
internal sealed partial class ProtonApiHandler
{
    private static string Member(TemplateKind kind, string suffix) => (kind == TemplateKind.Environment ? "environment" : "service") + suffix;

    private static string KindName(TemplateKind kind) => kind == TemplateKind.Environment ? "environment template" : "service template";

    private async Task<TemplateRecord> RequireTemplateAsync(string name, TemplateKind kind, CancellationToken ct)
    {
        var t = await Platform.Registry.GetTemplateAsync(name, ct).ConfigureAwait(false);
        return t is not null && t.Kind == kind ? t : throw ProtonApiException.NotFound($"The {KindName(kind)} {name} was not found.");
    }

    private async Task<JsonObject> TemplateShapeAsync(TemplateRecord t, CancellationToken ct)
        => _shapes.Template(t, await Platform.Registry.GetRecommendedAsync(t.Name, cancellationToken: ct).ConfigureAwait(false));

    private async Task<JsonObject> CreateTemplateAsync(ApiRequest r, TemplateKind kind, CancellationToken ct)
    {
        var name = r.Required("name");
        if (r.Optional(kind == TemplateKind.Environment ? "provisioning" : "pipelineProvisioning") is not null)
        {
            throw ProtonApiException.Validation($"{(kind == TemplateKind.Environment ? "provisioning" : "pipelineProvisioning")} CUSTOMER_MANAGED is not served by this host: import customer-managed environments with Proton.Sdk (ImportEnvironmentAsync).");
        }

        if (await Platform.Registry.GetTemplateAsync(name, ct).ConfigureAwait(false) is not null)
        {
            throw ProtonApiException.Conflict($"A template named {name} already exists.");
        }

        var tags = ReadTags(r);
        var t = await Platform.Registry.CreateTemplateAsync(name, kind, r.Optional("displayName"), r.Optional("description"), ct).ConfigureAwait(false);
        await PutTagsAsync(_shapes.Template(t, null)["arn"]!.GetValue<string>(), tags, ct).ConfigureAwait(false);
        return new JsonObject { [Member(kind, "Template")] = _shapes.Template(t, null) };
    }

    private async Task<JsonObject> GetTemplateAsync(ApiRequest r, TemplateKind kind, CancellationToken ct)
    {
        var t = await RequireTemplateAsync(r.Required("name"), kind, ct).ConfigureAwait(false);
        return new JsonObject { [Member(kind, "Template")] = await TemplateShapeAsync(t, ct).ConfigureAwait(false) };
    }

    private async Task<JsonObject> ListTemplatesAsync(ApiRequest r, TemplateKind kind, CancellationToken ct)
    {
        var all = (await Platform.Registry.ListTemplatesAsync(ct).ConfigureAwait(false)).Where(t => t.Kind == kind).ToList();
        var (page, next) = r.Page(all, _options.DefaultPageSize);
        var items = new JsonArray();
        foreach (var t in page)
        {
            items.Add(await TemplateShapeAsync(t, ct).ConfigureAwait(false));
        }

        return WithToken(new JsonObject { ["templates"] = items }, next);
    }

    private async Task<JsonObject> UpdateTemplateAsync(ApiRequest r, TemplateKind kind, CancellationToken ct)
    {
        var name = r.Required("name");
        var displayName = OptionalAllowingEmpty(r, "displayName");
        var description = OptionalAllowingEmpty(r, "description");
        await RequireTemplateAsync(name, kind, ct).ConfigureAwait(false);
        var t = await Platform.Registry.UpdateTemplateAsync(name, displayName, description, ct).ConfigureAwait(false);
        return new JsonObject { [Member(kind, "Template")] = await TemplateShapeAsync(t, ct).ConfigureAwait(false) };
    }

    /// <summary>A string member where <c>""</c> is meaningful (clears the value, as Proton's update operations allow).</summary>
    private static string? OptionalAllowingEmpty(ApiRequest r, string name)
        => r.Element(name) is not { } v ? null
            : v.ValueKind == JsonValueKind.String ? v.GetString()
            : throw ProtonApiException.Validation($"1 validation error detected: Value at '{name}' failed to satisfy constraint: Member must be a string");

    private async Task<JsonObject> DeleteTemplateAsync(ApiRequest r, TemplateKind kind, CancellationToken ct)
    {
        var t = await RequireTemplateAsync(r.Required("name"), kind, ct).ConfigureAwait(false);
        var shape = await TemplateShapeAsync(t, ct).ConfigureAwait(false);
        await Platform.Registry.DeleteTemplateAsync(t.Name, ct).ConfigureAwait(false);
        return new JsonObject { [Member(kind, "Template")] = shape };
    }

    private async Task<JsonObject> CreateVersionAsync(ApiRequest r, TemplateKind kind, CancellationToken ct)
    {
        var name = r.Required("templateName");
        if (r.Element("source") is not { ValueKind: JsonValueKind.Object } source || !source.TryGetProperty("s3", out var s3) || s3.ValueKind != JsonValueKind.Object)
        {
            throw ProtonApiException.Validation("1 validation error detected: Value null at 'source.s3' failed to satisfy constraint: Member must not be null");
        }

        var s3Request = new ApiRequest(r.Operation, s3);
        var bucket = s3Request.Required("bucket");
        var key = s3Request.Required("key");
        IReadOnlyList<CompatibleEnvironment>? compatible = null;
        if (kind == TemplateKind.Service)
        {
            if (r.Element("compatibleEnvironmentTemplates") is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() == 0)
            {
                throw ProtonApiException.Validation("1 validation error detected: Value null at 'compatibleEnvironmentTemplates' failed to satisfy constraint: Member must not be null");
            }

            compatible = list.EnumerateArray().Select((c, i) =>
            {
                var item = new ApiRequest(r.Operation, c);
                var major = item.Required("majorVersion");
                return int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var m)
                    ? new CompatibleEnvironment(item.Required("templateName"), m)
                    : throw ProtonApiException.Validation($"compatibleEnvironmentTemplates[{i}].majorVersion '{major}' is not a major version number.");
            }).ToList();
        }

        await RequireTemplateAsync(name, kind, ct).ConfigureAwait(false);
        var versions = await Platform.Registry.ListVersionsAsync(name, ct).ConfigureAwait(false);
        string version;
        if (r.Optional("majorVersion") is { } majorText)
        {
            if (!int.TryParse(majorText, NumberStyles.None, CultureInfo.InvariantCulture, out var major))
            {
                throw ProtonApiException.Validation($"majorVersion '{majorText}' is not a major version number.");
            }

            var inMajor = versions.Where(v => v.SemanticVersion.Major == major).ToList();
            if (inMajor.Count == 0)
            {
                throw ProtonApiException.Validation($"{name} has no major version {major}; leave majorVersion out to create a new major version.");
            }

            version = $"{major}.{inMajor.Max(v => v.SemanticVersion.Minor) + 1}.0";
        }
        else
        {
            version = $"{(versions.Count == 0 ? 1 : versions.Max(v => v.SemanticVersion.Major) + 1)}.0.0";
        }

        var resolver = _services.GetService<ITemplateSourceResolver>()
            ?? throw ProtonApiException.Validation("This host has no template source configured (ITemplateSourceResolver), so versions cannot be created from S3 here.");
        var bundle = resolver.Resolve(bucket, key);
        try
        {
            var tags = ReadTags(r);
            var result = await Platform.Registry.RegisterVersionAsync(name, bundle, new RegisterVersionOptions { Version = version, Description = r.Optional("description"), CompatibleEnvironments = compatible }, ct).ConfigureAwait(false);
            var shape = _shapes.TemplateVersion(result.Version, kind, null, summary: false);
            await PutTagsAsync(shape["arn"]!.GetValue<string>(), tags, ct).ConfigureAwait(false);
            return new JsonObject { [Member(kind, "TemplateVersion")] = shape };
        }
        finally
        {
            (bundle as IDisposable)?.Dispose();
        }
    }

    private async Task<TemplateVersionRecord> RequireVersionAsync(ApiRequest r, TemplateKind kind, CancellationToken ct)
    {
        var name = r.Required("templateName");
        var major = r.Required("majorVersion");
        var minor = r.Required("minorVersion");
        await RequireTemplateAsync(name, kind, ct).ConfigureAwait(false);
        if (!SemanticVersion.TryParse($"{major}.{minor}", out var v) || v is null)
        {
            throw ProtonApiException.Validation($"majorVersion '{major}' and minorVersion '{minor}' do not make a version.");
        }

        return await Platform.Registry.GetVersionAsync(name, v.ToString(), ct).ConfigureAwait(false)
            ?? throw ProtonApiException.NotFound($"The {KindName(kind)} version {name}:{major}.{minor} was not found.");
    }

    private async Task<JsonObject> VersionShapeAsync(TemplateVersionRecord v, TemplateKind kind, bool summary, CancellationToken ct)
        => _shapes.TemplateVersion(v, kind, await Platform.Registry.GetRecommendedAsync(v.TemplateName, v.SemanticVersion.Major, ct).ConfigureAwait(false), summary);

    private async Task<JsonObject> GetVersionAsync(ApiRequest r, TemplateKind kind, CancellationToken ct)
    {
        var v = await RequireVersionAsync(r, kind, ct).ConfigureAwait(false);
        var shape = await VersionShapeAsync(v, kind, false, ct).ConfigureAwait(false);

        // Proton's schema member: the version's schema file as registered (YAML text).
        var bundle = await Platform.Registry.LoadBundleAsync(v, ct).ConfigureAwait(false);
        if (bundle.SchemaFile is { } schema)
        {
            shape["schema"] = schema.Text;
        }

        return new JsonObject { [Member(kind, "TemplateVersion")] = shape };
    }

    private async Task<JsonObject> ListVersionsAsync(ApiRequest r, TemplateKind kind, CancellationToken ct)
    {
        var name = r.Required("templateName");
        await RequireTemplateAsync(name, kind, ct).ConfigureAwait(false);
        var major = r.Optional("majorVersion");
        var all = (await Platform.Registry.ListVersionsAsync(name, ct).ConfigureAwait(false))
            .Where(v => major is null || Shapes.Major(v.Version) == major).ToList();
        var (page, next) = r.Page(all, _options.DefaultPageSize);
        var items = new JsonArray();
        foreach (var v in page)
        {
            items.Add(await VersionShapeAsync(v, kind, true, ct).ConfigureAwait(false));
        }

        return WithToken(new JsonObject { ["templateVersions"] = items }, next);
    }

    private async Task<JsonObject> UpdateVersionAsync(ApiRequest r, TemplateKind kind, CancellationToken ct)
    {
        var v = await RequireVersionAsync(r, kind, ct).ConfigureAwait(false);
        if (r.Optional("description") is not null)
        {
            throw ProtonApiException.Validation("Changing a version's description is not served by this host; only its status (PUBLISHED, DRAFT).");
        }

        if (r.Optional("status") is { } status)
        {
            v = status switch
            {
                "PUBLISHED" => await Platform.Registry.PublishAsync(v.TemplateName, v.Version, ct).ConfigureAwait(false),
                "DRAFT" when v.Status == TemplateVersionStatus.Draft => v,
                "DRAFT" => await Platform.Registry.DeprecateAsync(v.TemplateName, v.Version, ct).ConfigureAwait(false),
                _ => throw ProtonApiException.Validation($"1 validation error detected: Value '{status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [PUBLISHED, DRAFT] (REGISTRATION_* statuses are set by the host)"),
            };
        }

        return new JsonObject { [Member(kind, "TemplateVersion")] = await VersionShapeAsync(v, kind, false, ct).ConfigureAwait(false) };
    }

    private async Task<JsonObject> DeleteVersionAsync(ApiRequest r, TemplateKind kind, CancellationToken ct)
    {
        var v = await RequireVersionAsync(r, kind, ct).ConfigureAwait(false);
        var shape = await VersionShapeAsync(v, kind, false, ct).ConfigureAwait(false);
        await Platform.Registry.DeleteVersionAsync(v.TemplateName, v.Version, ct).ConfigureAwait(false);
        return new JsonObject { [Member(kind, "TemplateVersion")] = shape };
    }

    private static JsonObject WithToken(JsonObject o, string? next)
    {
        if (next is not null)
        {
            o["nextToken"] = next;
        }

        return o;
    }
}
