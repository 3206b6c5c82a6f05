using System.Collections.Concurrent;
using Proton.Sdk.Schema;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Platform;

/// <summary>
/// Which template version a create or an update runs (Proton's NONE / CURRENT_VERSION / MINOR_VERSION / MAJOR_VERSION),
/// whether a service version runs in an environment, the bundle and schema of a version (cached by content hash), and
/// the validated inputs of a deployment.
/// </summary>
internal sealed class VersionResolver(TemplateRegistry registry)
{
    private readonly ConcurrentDictionary<string, (TemplateBundle Bundle, ParameterSchema Schema)> _bundles = new(StringComparer.Ordinal);

    public TemplateRegistry Registry { get; } = registry;

    public async Task<(TemplateBundle Bundle, ParameterSchema Schema)> LoadAsync(TemplateVersionRecord version, CancellationToken cancellationToken)
    {
        if (_bundles.TryGetValue(version.ContentHash, out var cached))
        {
            return cached;
        }

        var bundle = await Registry.LoadBundleAsync(version, cancellationToken).ConfigureAwait(false);
        var schema = SchemaParser.Parse(bundle).GetSchemaOrThrow();
        return _bundles[version.ContentHash] = (bundle, schema);
    }

    public async Task<TemplateVersionRecord> ResolveForCreateAsync(string templateName, string? versionText, TemplateKind kind, CancellationToken cancellationToken)
    {
        var template = await Registry.GetTemplateAsync(templateName, cancellationToken).ConfigureAwait(false)
            ?? throw new PlatformException(PlatformErrorCodes.TemplateNotFound, $"No template {templateName}.");
        if (template.Kind != kind)
        {
            throw new PlatformException(PlatformErrorCodes.WrongTemplateKind, $"{templateName} is a {template.Kind.ToString().ToLowerInvariant()} template; a {kind.ToString().ToLowerInvariant()} template is needed.");
        }

        if (versionText is null)
        {
            return await Registry.GetRecommendedAsync(templateName, null, cancellationToken).ConfigureAwait(false)
                ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"{templateName} has no published version to create resources from.");
        }

        return await ResolveConstraintAsync(templateName, versionText, includeDeprecated: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TemplateVersionRecord> ResolveConstraintAsync(string templateName, string versionText, bool includeDeprecated, CancellationToken cancellationToken)
    {
        VersionConstraint constraint;
        try
        {
            constraint = VersionConstraint.Parse(versionText);
        }
        catch (FormatException ex)
        {
            throw new PlatformException(PlatformErrorCodes.InvalidVersion, $"'{versionText}' is not a version or constraint of {templateName}: {ex.Message}");
        }

        if (await Registry.ResolveAsync(templateName, constraint, includeDeprecated, cancellationToken).ConfigureAwait(false) is { } v)
        {
            return v;
        }

        var all = await Registry.ListVersionsAsync(templateName, cancellationToken).ConfigureAwait(false);
        throw new PlatformException(PlatformErrorCodes.VersionUnavailable,
            $"No {(includeDeprecated ? "published or deprecated" : "published")} version of {templateName} satisfies '{versionText}'; versions: {(all.Count == 0 ? "none" : string.Join(", ", all.Select(x => $"{x.Version} ({x.Status})")))}.");
    }

    /// <summary>Proton's rules for the version of an update.</summary>
    public async Task<TemplateVersionRecord> ResolveForUpdateAsync(DeployableRecord current, UpdateRequest request, string what, CancellationToken cancellationToken)
    {
        var currentVersion = ParseStored(current.TemplateVersion, what);
        switch (request.UpdateType)
        {
            case DeploymentUpdateType.CurrentVersion:
                if (request.TemplateVersion is not null && SemanticVersion.TryParse(request.TemplateVersion, out var asked) && asked != currentVersion)
                {
                    throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"{what}: CURRENT_VERSION redeploys {current.TemplateVersion}; leave the version out, or use MINOR_VERSION or MAJOR_VERSION to move to {request.TemplateVersion}.");
                }

                return await Registry.GetVersionAsync(current.TemplateName, current.TemplateVersion, cancellationToken).ConfigureAwait(false)
                    ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"{what}: its version {current.TemplateName} {current.TemplateVersion} is no longer in the registry.");
            case DeploymentUpdateType.MinorVersion:
            {
                var target = request.TemplateVersion is null
                    ? await Registry.GetRecommendedAsync(current.TemplateName, currentVersion.Major, cancellationToken).ConfigureAwait(false)
                        ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"{what}: {current.TemplateName} has no published version in major {currentVersion.Major}.")
                    : await ResolveConstraintAsync(current.TemplateName, request.TemplateVersion, includeDeprecated: true, cancellationToken).ConfigureAwait(false);
                var tv = target.SemanticVersion;
                if (tv.Major != currentVersion.Major)
                {
                    throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"{what}: MINOR_VERSION stays in major {currentVersion.Major}; {target.Version} is major {tv.Major} (use MAJOR_VERSION).");
                }

                if (tv <= currentVersion)
                {
                    throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"{what}: it runs {current.TemplateVersion} and {target.Version} is not newer; nothing to move to (CURRENT_VERSION redeploys, rollback goes back).");
                }

                return target;
            }

            case DeploymentUpdateType.MajorVersion:
            {
                var target = request.TemplateVersion is null
                    ? await Registry.GetRecommendedAsync(current.TemplateName, null, cancellationToken).ConfigureAwait(false)
                        ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"{what}: {current.TemplateName} has no published version.")
                    : await ResolveConstraintAsync(current.TemplateName, request.TemplateVersion, includeDeprecated: true, cancellationToken).ConfigureAwait(false);
                if (target.SemanticVersion.Major <= currentVersion.Major)
                {
                    throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"{what}: MAJOR_VERSION moves to a higher major than {currentVersion.Major}; {target.Version} is not (use MINOR_VERSION within a major).");
                }

                return target;
            }

            default:
                throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"{what}: NONE deploys nothing.");
        }
    }

    /// <summary>A version read back from a record; a damaged one is reported with the resource it belongs to.</summary>
    public static SemanticVersion ParseStored(string version, string what)
        => SemanticVersion.TryParse(version, out var v) && v is not null
            ? v
            : throw new PlatformException(PlatformErrorCodes.InvalidVersion, $"{what}: its recorded template version '{version}' is not a version; the record is damaged.");

    /// <summary>Why a service version cannot run in an environment, or null when it can.</summary>
    public static string? Incompatibility(TemplateVersionRecord version, EnvironmentRecord env)
    {
        if (env.LastSucceededDeploymentId is null)
        {
            return $"environment {env.Name} has not deployed successfully ({env.DeploymentStatus})";
        }

        if (!SemanticVersion.TryParse(env.TemplateVersion, out var envVersion) || envVersion is null)
        {
            return $"environment {env.Name} records a damaged template version '{env.TemplateVersion}'";
        }

        var major = envVersion.Major;
        return version.CompatibleEnvironments.Any(c => c.TemplateName == env.TemplateName && c.MajorVersion == major)
            ? null
            : $"environment {env.Name} runs {env.TemplateName} {env.TemplateVersion} (major {major}); {version.TemplateName} {version.Version} runs in {(version.CompatibleEnvironments.Count == 0 ? "no environment template" : string.Join(", ", version.CompatibleEnvironments.Select(c => $"{c.TemplateName} major {c.MajorVersion}")))}";
    }

    public static InputValues Validate(ParameterSchema schema, InputKind kind, IReadOnlyDictionary<string, object?> inputs, IReadOnlyDictionary<string, object?>? current, string path)
    {
        var result = new SpecValidator(schema).ValidateInputs(kind, inputs, path, current);
        if (result.Values is null)
        {
            throw new ProtonValidationException(PlatformErrorCodes.InvalidInputs, result.Failures.Select(f => Diagnostic.Error(f.Code, f.Message, schema.SourceFile) with { Path = f.Path }).ToList());
        }

        return result.Values;
    }

    /// <summary>The inputs of a redeploy: the new ones, else the current ones; a secret that is only known masked must be given again.</summary>
    public static IReadOnlyDictionary<string, object?> MergeInputs(IReadOnlyDictionary<string, object?> current, IReadOnlyDictionary<string, object?>? given, SchemaInputType? type, string what)
    {
        var inputs = given ?? current;
        var masked = (type?.Properties ?? []).Where(p => p.IsSecret && inputs.TryGetValue(p.Name, out var v)
            && (Equals(v, InputValues.Mask) || (ProtonSpec.IsCurrentValue(v) && current.TryGetValue(p.Name, out var c) && Equals(c, InputValues.Mask)))).Select(p => p.Name).ToList();
        if (masked.Count > 0)
        {
            throw new PlatformException(PlatformErrorCodes.SecretRequired, $"{what}: secret inputs are never stored; give {string.Join(", ", masked)} again with this update.");
        }

        return inputs;
    }
}
