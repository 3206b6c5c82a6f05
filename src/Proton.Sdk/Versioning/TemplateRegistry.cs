using System.Text.Json;
using System.Text.Json.Serialization;
using Proton.Sdk.Rendering;
using Proton.Sdk.Schema;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Versioning;

/// <summary>
/// The template version registry over an <see cref="IProtonStore"/>: templates, versions with SemVer enforced from schema
/// diffs, Draft / Published / Deprecated statuses, recommended versions, and deletion rules. Safe to use from many
/// threads, processes and hosts sharing one store: every write states the revision it read.
/// </summary>
public sealed class TemplateRegistry
{
    private const string Templates = "templates";
    private const string Versions = "versions";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly IProtonStore _store;
    private readonly TimeProvider _time;
    private readonly ITemplateRenderer _renderer;
    private readonly ITemplateUsage? _usage;

    /// <summary>Creates a registry.</summary>
    /// <param name="store">Where records and bundles live.</param>
    /// <param name="renderer">Renders templates at registration to catch errors; <see cref="TemplateRenderer.Default"/> when null.</param>
    /// <param name="usage">Who runs on which version (the platform); null when nothing does yet.</param>
    /// <param name="timeProvider">The clock; system time when null.</param>
    public TemplateRegistry(IProtonStore store, ITemplateRenderer? renderer = null, ITemplateUsage? usage = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _renderer = renderer ?? TemplateRenderer.Default;
        _usage = usage;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Creates a template. Creating the same template again is a no-op; a different kind is a conflict.</summary>
    /// <param name="name">The name.</param>
    /// <param name="kind">Environment or service.</param>
    /// <param name="displayName">A display name.</param>
    /// <param name="description">A description.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The template.</returns>
    public async ValueTask<TemplateRecord> CreateTemplateAsync(string name, TemplateKind kind, string? displayName = null, string? description = null, CancellationToken cancellationToken = default)
    {
        if (ProtonNames.Explain(name) is { } bad)
        {
            throw new RegistryException(RegistryErrorCodes.InvalidName, $"Invalid template name: {bad}.");
        }

        if (kind == TemplateKind.Component)
        {
            throw new RegistryException(RegistryErrorCodes.InvalidKind, "Components are directly defined; they have no template in the registry.");
        }

        var record = new TemplateRecord { Name = name, Kind = kind, DisplayName = displayName, Description = description, CreatedAt = _time.GetUtcNow() };
        try
        {
            await _store.PutAsync(Templates, name, JsonSerializer.SerializeToUtf8Bytes(record, Json), null, cancellationToken).ConfigureAwait(false);
            return record;
        }
        catch (StoreConflictException)
        {
            var existing = await GetTemplateAsync(name, cancellationToken).ConfigureAwait(false);
            if (existing!.Kind != kind)
            {
                throw new RegistryException(RegistryErrorCodes.Conflict, $"Template '{name}' exists as an {existing.Kind.ToString().ToLowerInvariant()} template.");
            }

            return existing;
        }
    }

    /// <summary>
    /// Changes a template's display name and description (its metadata; versions are untouched). A null argument keeps
    /// the current value, an empty string clears it.
    /// </summary>
    /// <param name="name">The template.</param>
    /// <param name="displayName">The new display name, <c>""</c> to clear, or null to keep.</param>
    /// <param name="description">The new description, <c>""</c> to clear, or null to keep.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The template as stored.</returns>
    /// <exception cref="RegistryException"><see cref="RegistryErrorCodes.NotFound"/> for an unknown template; <see cref="RegistryErrorCodes.Conflict"/> when another writer changed it first.</exception>
    public async ValueTask<TemplateRecord> UpdateTemplateAsync(string name, string? displayName, string? description, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var r = await _store.GetAsync(Templates, name, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorCodes.NotFound, $"Template '{name}' was not found.");
        var current = JsonSerializer.Deserialize<TemplateRecord>(r.Document.Span, Json)!;
        var updated = current with
        {
            DisplayName = displayName is null ? current.DisplayName : displayName.Length == 0 ? null : displayName,
            Description = description is null ? current.Description : description.Length == 0 ? null : description,
        };
        try
        {
            await _store.PutAsync(Templates, name, JsonSerializer.SerializeToUtf8Bytes(updated, Json), r.Revision, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreConflictException)
        {
            throw new RegistryException(RegistryErrorCodes.Conflict, $"Template '{name}' was changed by another writer; read it again and retry.");
        }

        return updated;
    }

    /// <summary>Reads a template, or null.</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The template or null.</returns>
    public async ValueTask<TemplateRecord?> GetTemplateAsync(string name, CancellationToken cancellationToken = default)
    {
        var r = await _store.GetAsync(Templates, name, cancellationToken).ConfigureAwait(false);
        return r is null ? null : JsonSerializer.Deserialize<TemplateRecord>(r.Document.Span, Json);
    }

    /// <summary>Lists templates by name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The templates.</returns>
    public async ValueTask<IReadOnlyList<TemplateRecord>> ListTemplatesAsync(CancellationToken cancellationToken = default)
        => (await _store.ListAsync(Templates, null, cancellationToken).ConfigureAwait(false)).Select(r => JsonSerializer.Deserialize<TemplateRecord>(r.Document.Span, Json)!).ToList();

    /// <summary>Lists a template's versions, lowest first.</summary>
    /// <param name="templateName">The template.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The versions.</returns>
    public async ValueTask<IReadOnlyList<TemplateVersionRecord>> ListVersionsAsync(string templateName, CancellationToken cancellationToken = default)
        => (await ListVersionRecordsAsync(templateName, cancellationToken).ConfigureAwait(false)).Select(v => v.Version).ToList();

    private async ValueTask<List<(TemplateVersionRecord Version, string Revision)>> ListVersionRecordsAsync(string templateName, CancellationToken cancellationToken)
        => (await _store.ListAsync(Versions, templateName + "@", cancellationToken).ConfigureAwait(false))
            .Select(r => (JsonSerializer.Deserialize<TemplateVersionRecord>(r.Document.Span, Json)!, r.Revision))
            .Where(v => v.Item1.TemplateName == templateName)
            .OrderBy(v => v.Item1.SemanticVersion)
            .ToList();

    /// <summary>Reads one version, or null.</summary>
    /// <param name="templateName">The template.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version or null.</returns>
    public async ValueTask<TemplateVersionRecord?> GetVersionAsync(string templateName, string version, CancellationToken cancellationToken = default)
    {
        var v = SemanticVersion.Parse(version);
        var r = await _store.GetAsync(Versions, Key(templateName, v), cancellationToken).ConfigureAwait(false);
        return r is null ? null : JsonSerializer.Deserialize<TemplateVersionRecord>(r.Document.Span, Json);
    }

    private static string Key(string templateName, SemanticVersion v) => $"{templateName}@{v}";

    /// <summary>
    /// Registers a version from a bundle: the bundle must load, its schema must check, and every template must render
    /// with defaults and synthetic values. The schema is compared with the highest existing version; a requested
    /// version that bumps too little is refused with the breaking changes; without a request the smallest valid version
    /// is taken. Registering content identical to an existing version returns that version.
    /// </summary>
    /// <param name="templateName">The template (created beforehand).</param>
    /// <param name="source">The bundle.</param>
    /// <param name="options">Version, compatibility, description.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registered (or existing) version and the schema changes.</returns>
    /// <exception cref="ProtonValidationException">The bundle, its schema or a template is invalid (every diagnostic).</exception>
    /// <exception cref="RegistryException">Unknown template, wrong kind, bump too small, or the version exists.</exception>
    public async ValueTask<RegistrationResult> RegisterVersionAsync(string templateName, ITemplateBundleSource source, RegisterVersionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new RegisterVersionOptions();
        using var activity = ProtonDiagnostics.Source.StartActivity("proton.register");
        activity?.SetTag("proton.template", templateName);
        activity?.SetTag("proton.bundle", source.Description);
        var template = await GetTemplateAsync(templateName, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorCodes.NotFound, $"No template '{templateName}'; create it first.");
        var load = await TemplateBundleLoader.LoadAsync(source, cancellationToken: cancellationToken).ConfigureAwait(false);
        var bundle = load.GetBundleOrThrow();
        if (bundle.Kind != template.Kind)
        {
            throw new RegistryException(RegistryErrorCodes.InvalidKind, $"'{templateName}' is an {template.Kind.ToString().ToLowerInvariant()} template; the bundle is a {bundle.Kind.ToString().ToLowerInvariant()} template.");
        }

        var schema = SchemaParser.Parse(bundle).GetSchemaOrThrow();
        RegistrationCheck.RenderAll(_renderer, bundle, schema);
        var requested = options.Version is null ? null : ParseVersion(options.Version);
        var compatible = options.CompatibleEnvironments ?? bundle.Registration?.CompatibleEnvironments ?? [];
        if (template.Kind == TemplateKind.Service && compatible.Count == 0)
        {
            throw new RegistryException(RegistryErrorCodes.CompatibilityMissing, "A service template version needs compatible environment templates (options or .template-registration.yaml).");
        }

        var blob = await _store.PutBlobAsync(BundleBlob.Serialize(bundle), cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await ListVersionRecordsAsync(templateName, cancellationToken).ConfigureAwait(false);
            var same = existing.FirstOrDefault(v => v.Version.ContentHash == bundle.ContentHash).Version;
            if (same is not null && (requested is null || requested == same.SemanticVersion))
            {
                return new RegistrationResult(same, true, []);
            }

            // Compare with the highest version below the one requested (the highest of all when none is requested).
            var baseline = existing.Select(v => v.Version).LastOrDefault(v => requested is null || v.SemanticVersion < requested);
            var changes = new List<SchemaChange>();
            var bump = VersionBump.Patch;
            if (baseline is not null)
            {
                var previousSchema = SchemaParser.Parse(await LoadBundleAsync(baseline, cancellationToken).ConfigureAwait(false)).GetSchemaOrThrow();
                var diff = SchemaDiff.Compare(previousSchema, schema);
                changes.AddRange(diff.Changes);
                bump = diff.RequiredBump;
            }

            var version = requested ?? (existing.Count == 0 ? new SemanticVersion(1, 0, 0) : existing[^1].Version.SemanticVersion.Next(bump));
            if (baseline is not null && requested is not null)
            {
                var b = baseline.SemanticVersion;
                var enough = bump switch
                {
                    VersionBump.Major => version.Major > b.Major,
                    VersionBump.Minor => version.Major > b.Major || (version.Major == b.Major && version.Minor > b.Minor),
                    _ => version > b,
                };
                if (!enough)
                {
                    var breaking = changes.Where(c => c.Impact == (bump == VersionBump.Major ? ChangeImpact.Breaking : ChangeImpact.Additive)).ToList();
                    throw new RegistryException(RegistryErrorCodes.BumpTooSmall,
                        $"{templateName} {version} is a {(version.Major > b.Major ? "major" : version.Minor > b.Minor ? "minor" : "patch")} bump over {b}, but the schema changes need a {bump.ToString().ToLowerInvariant()} version: "
                        + string.Join("; ", breaking.Select(c => $"{c.Path}: {c.Reason}")))
                    {
                        Changes = breaking,
                    };
                }
            }

            var record = new TemplateVersionRecord
            {
                TemplateName = templateName,
                Version = version.ToString(),
                Status = TemplateVersionStatus.Draft,
                ContentHash = bundle.ContentHash,
                BundleBlob = blob,
                HasPipeline = bundle.HasPipeline,
                CompatibleEnvironments = compatible,
                SchemaBump = bump,
                ComparedWith = baseline?.Version,
                Description = options.Description,
                CreatedAt = _time.GetUtcNow(),
            };
            try
            {
                await _store.PutAsync(Versions, Key(templateName, version), JsonSerializer.SerializeToUtf8Bytes(record, Json), null, cancellationToken).ConfigureAwait(false);
                return new RegistrationResult(record, false, changes);
            }
            catch (StoreConflictException) when (requested is null && attempt < 100)
            {
                // Another writer took this version number: read again and take the next.
            }
            catch (StoreConflictException)
            {
                throw new RegistryException(RegistryErrorCodes.VersionExists, $"{templateName} {version} is already registered.");
            }
        }
    }

    private static SemanticVersion ParseVersion(string text)
        => SemanticVersion.TryParse(text, out var v) ? v! : throw new RegistryException(RegistryErrorCodes.InvalidVersion, $"'{text}' is not a version (MAJOR.MINOR.PATCH).");

    /// <summary>Loads a version's bundle from the store (content-addressed: it cannot have changed).</summary>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bundle.</returns>
    public async ValueTask<TemplateBundle> LoadBundleAsync(TemplateVersionRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var bytes = await _store.GetBlobAsync(version.BundleBlob, cancellationToken).ConfigureAwait(false)
            ?? throw new StoreCorruptedException($"blob {version.BundleBlob}", $"the bundle of {version.TemplateName} {version.Version} is missing from the store");
        return TemplateBundleLoader.Load(BundleBlob.Deserialize(bytes.Span), $"{version.TemplateName}@{version.Version}").GetBundleOrThrow();
    }

    /// <summary>Publishes a draft or deprecated version.</summary>
    /// <param name="templateName">The template.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated version.</returns>
    public ValueTask<TemplateVersionRecord> PublishAsync(string templateName, string version, CancellationToken cancellationToken = default)
        => SetStatusAsync(templateName, version, TemplateVersionStatus.Published, [TemplateVersionStatus.Draft, TemplateVersionStatus.Deprecated, TemplateVersionStatus.Published], cancellationToken);

    /// <summary>Deprecates a published version: no new resources, existing ones may still update to it.</summary>
    /// <param name="templateName">The template.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated version.</returns>
    public ValueTask<TemplateVersionRecord> DeprecateAsync(string templateName, string version, CancellationToken cancellationToken = default)
        => SetStatusAsync(templateName, version, TemplateVersionStatus.Deprecated, [TemplateVersionStatus.Published, TemplateVersionStatus.Deprecated], cancellationToken);

    private async ValueTask<TemplateVersionRecord> SetStatusAsync(string templateName, string version, TemplateVersionStatus status, TemplateVersionStatus[] from, CancellationToken cancellationToken)
    {
        var key = Key(templateName, ParseVersion(version));
        while (true)
        {
            var r = await _store.GetAsync(Versions, key, cancellationToken).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryErrorCodes.NotFound, $"No version {version} of '{templateName}'.");
            var record = JsonSerializer.Deserialize<TemplateVersionRecord>(r.Document.Span, Json)!;
            if (!from.Contains(record.Status))
            {
                throw new RegistryException(RegistryErrorCodes.InvalidStatus, $"{templateName} {version} is {record.Status}; it cannot become {status}.");
            }

            var updated = record with { Status = status };
            try
            {
                await _store.PutAsync(Versions, key, JsonSerializer.SerializeToUtf8Bytes(updated, Json), r.Revision, cancellationToken).ConfigureAwait(false);
                return updated;
            }
            catch (StoreConflictException)
            {
            }
        }
    }

    /// <summary>The recommended version: highest published, non-deprecated, non-pre-release (optionally within one major).</summary>
    /// <param name="templateName">The template.</param>
    /// <param name="major">A major version, or null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version or null.</returns>
    public async ValueTask<TemplateVersionRecord?> GetRecommendedAsync(string templateName, int? major = null, CancellationToken cancellationToken = default)
        => Recommended(await ListVersionsAsync(templateName, cancellationToken).ConfigureAwait(false), major);

    /// <summary>The recommended version among records (see <see cref="GetRecommendedAsync"/>).</summary>
    /// <param name="versions">The versions.</param>
    /// <param name="major">A major version, or null.</param>
    /// <returns>The version or null.</returns>
    public static TemplateVersionRecord? Recommended(IEnumerable<TemplateVersionRecord> versions, int? major = null)
    {
        ArgumentNullException.ThrowIfNull(versions);
        TemplateVersionRecord? best = null;
        SemanticVersion? bestVersion = null;
        foreach (var v in versions)
        {
            if (v.Status != TemplateVersionStatus.Published)
            {
                continue;
            }

            var sv = v.SemanticVersion;
            if (sv.IsPrerelease || (major is not null && sv.Major != major) || (bestVersion is not null && sv <= bestVersion))
            {
                continue;
            }

            best = v;
            bestVersion = sv;
        }

        return best;
    }

    /// <summary>The highest published (or, when asked, deprecated) version that satisfies a constraint.</summary>
    /// <param name="templateName">The template.</param>
    /// <param name="constraint">The constraint.</param>
    /// <param name="includeDeprecated">True for updates of existing resources, which may move to deprecated versions.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version or null.</returns>
    public async ValueTask<TemplateVersionRecord?> ResolveAsync(string templateName, VersionConstraint constraint, bool includeDeprecated = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(constraint);
        var candidates = (await ListVersionsAsync(templateName, cancellationToken).ConfigureAwait(false))
            .Where(v => v.Status == TemplateVersionStatus.Published || (includeDeprecated && v.Status == TemplateVersionStatus.Deprecated))
            .ToDictionary(v => v.SemanticVersion);
        var best = constraint.MaxSatisfying(candidates.Keys);
        return best is null ? null : candidates[best];
    }

    /// <summary>Deletes a version nothing runs on.</summary>
    /// <param name="templateName">The template.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="RegistryException"><c>registry.in-use</c>, listing who uses it.</exception>
    public async ValueTask DeleteVersionAsync(string templateName, string version, CancellationToken cancellationToken = default)
    {
        var v = ParseVersion(version);
        var r = await _store.GetAsync(Versions, Key(templateName, v), cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorCodes.NotFound, $"No version {version} of '{templateName}'.");
        if (_usage is not null && await _usage.GetUsersAsync(templateName, v, cancellationToken).ConfigureAwait(false) is { Count: > 0 } users)
        {
            throw new RegistryException(RegistryErrorCodes.InUse, $"{templateName} {v} cannot be deleted: {string.Join(", ", users)} run on it.");
        }

        await _store.DeleteAsync(Versions, Key(templateName, v), r.Revision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a template that has no versions.</summary>
    /// <param name="templateName">The template.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async ValueTask DeleteTemplateAsync(string templateName, CancellationToken cancellationToken = default)
    {
        var r = await _store.GetAsync(Templates, templateName, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorCodes.NotFound, $"No template '{templateName}'.");
        var versions = await ListVersionsAsync(templateName, cancellationToken).ConfigureAwait(false);
        if (versions.Count > 0)
        {
            throw new RegistryException(RegistryErrorCodes.HasVersions, $"'{templateName}' still has versions {string.Join(", ", versions.Select(v => v.Version))}; delete them first.");
        }

        await _store.DeleteAsync(Templates, templateName, r.Revision, cancellationToken).ConfigureAwait(false);
    }
}
