using System.Security.Cryptography;
using System.Text;
using Proton.Sdk.Internal;

namespace Proton.Sdk.Templates;

/// <summary>Loads Proton template bundles from any <see cref="ITemplateBundleSource"/>.</summary>
public static class TemplateBundleLoader
{
    private static readonly (string Folder, InfrastructurePartKind Kind)[] PartFolders =
    [
        ("infrastructure", InfrastructurePartKind.Infrastructure),
        ("instance_infrastructure", InfrastructurePartKind.InstanceInfrastructure),
        ("pipeline_infrastructure", InfrastructurePartKind.PipelineInfrastructure),
    ];

    /// <summary>Loads a bundle from a folder or a <c>.tar.gz</c> file, chosen by what <paramref name="path"/> is.</summary>
    /// <param name="path">A folder or an archive.</param>
    /// <param name="options">Limits; <see cref="BundleOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The result with diagnostics.</returns>
    public static ValueTask<BundleLoadResult> LoadAsync(string path, BundleOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ITemplateBundleSource source = Directory.Exists(path) ? new DirectoryBundleSource(path) : new TarGzBundleSource(path);
        return LoadAsync(source, options, cancellationToken);
    }

    /// <summary>Loads a bundle from a source. Hostile sources and limits yield diagnostics, never exceptions.</summary>
    /// <param name="source">Where the files come from.</param>
    /// <param name="options">Limits; <see cref="BundleOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The result with diagnostics.</returns>
    public static async ValueTask<BundleLoadResult> LoadAsync(ITemplateBundleSource source, BundleOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= BundleOptions.Default;
        IReadOnlyList<BundleFile> files;
        try
        {
            files = await source.ReadFilesAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (ProtonValidationException ex)
        {
            return new BundleLoadResult(null, ex.Diagnostics);
        }

        return Load(files, source.Description, options);
    }

    /// <summary>Loads a bundle from files already read.</summary>
    /// <param name="files">The files, paths relative to the bundle root.</param>
    /// <param name="description">Where they came from, for messages.</param>
    /// <param name="options">Limits; <see cref="BundleOptions.Default"/> when null.</param>
    /// <returns>The result with diagnostics.</returns>
    public static BundleLoadResult Load(IReadOnlyList<BundleFile> files, string description, BundleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        options ??= BundleOptions.Default;
        var diagnostics = new List<Diagnostic>();
        var byPath = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var parts = new List<InfrastructurePart>();
        byPath.TryGetValue("schema/schema.yaml", out var schema);

        foreach (var (folder, kind) in PartFolders)
        {
            if (!files.Any(f => f.Path.StartsWith(folder + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            var part = LoadPart(folder, kind, byPath, options, diagnostics);
            if (part is not null)
            {
                parts.Add(part);
            }
        }

        TemplateKind kind2;
        if (parts.Any(p => p.Kind == InfrastructurePartKind.Infrastructure) && parts.Any(p => p.Kind != InfrastructurePartKind.Infrastructure))
        {
            diagnostics.Add(Diagnostic.Error(BundleErrorCodes.Layout, "A bundle holds either infrastructure/ (environment) or instance_infrastructure/ (service), not both.", description));
            kind2 = TemplateKind.Environment;
        }
        else if (files.Any(f => f.Path.StartsWith("instance_infrastructure/", StringComparison.Ordinal)) || parts.Any(p => p.Kind == InfrastructurePartKind.InstanceInfrastructure))
        {
            kind2 = TemplateKind.Service;
        }
        else if (files.Any(f => f.Path.StartsWith("pipeline_infrastructure/", StringComparison.Ordinal)))
        {
            diagnostics.Add(Diagnostic.Error(BundleErrorCodes.Layout, "pipeline_infrastructure/ needs instance_infrastructure/ beside it.", description));
            kind2 = TemplateKind.Service;
        }
        else if (files.Any(f => f.Path.StartsWith("infrastructure/", StringComparison.Ordinal)))
        {
            kind2 = TemplateKind.Environment;
        }
        else if (schema is null && byPath.ContainsKey("manifest.yaml"))
        {
            kind2 = TemplateKind.Component;
            var part = LoadPart(string.Empty, InfrastructurePartKind.Component, byPath, options, diagnostics);
            if (part is not null)
            {
                parts.Add(part);
            }
        }
        else if (schema is not null)
        {
            // A schema alone is a customer-managed environment template; the schema issue checks its input type.
            kind2 = TemplateKind.Environment;
            if (schema.Text.Contains("service_input_type", StringComparison.Ordinal))
            {
                diagnostics.Add(Diagnostic.Error(BundleErrorCodes.Layout, "A service template needs instance_infrastructure/ with a manifest.yaml.", description));
            }
        }
        else
        {
            diagnostics.Add(Diagnostic.Error(BundleErrorCodes.Layout,
                "Not a Proton template bundle: found no schema/schema.yaml, infrastructure/, instance_infrastructure/ or component manifest.yaml.", description));
            return new BundleLoadResult(null, diagnostics);
        }

        if (kind2 != TemplateKind.Component)
        {
            if (schema is null)
            {
                diagnostics.Add(Diagnostic.Error(BundleErrorCodes.Layout, "The bundle has no schema/schema.yaml.", description));
            }
            else if (IsUtf8(schema, diagnostics))
            {
                _ = YamlReader.Parse(schema.Text, schema.Path, diagnostics, options.YamlLimits);
            }
        }

        var registration = kind2 == TemplateKind.Service ? LoadRegistration(byPath, options, diagnostics) : null;
        var bundle = new TemplateBundle
        {
            Kind = kind2,
            Source = description,
            Files = byPath,
            SchemaFile = schema,
            Parts = parts,
            Registration = registration,
            ContentHash = ComputeHash(files),
        };
        return new BundleLoadResult(diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) ? null : bundle, diagnostics);
    }

    /// <summary>SHA-256 over the sorted paths and contents: the same files give the same hash whatever their order.</summary>
    /// <param name="files">The files.</param>
    /// <returns>Lowercase hex.</returns>
    public static string ComputeHash(IEnumerable<BundleFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var name = Encoding.UTF8.GetBytes(file.Path);
            BitConverter.TryWriteBytes(length, (long)name.Length);
            hash.AppendData(length);
            hash.AppendData(name);
            BitConverter.TryWriteBytes(length, (long)file.Content.Length);
            hash.AppendData(length);
            hash.AppendData(file.Content.Span);
        }

        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static InfrastructurePart? LoadPart(string folder, InfrastructurePartKind kind, Dictionary<string, BundleFile> files, BundleOptions options, List<Diagnostic> diagnostics)
    {
        var prefix = folder.Length == 0 ? string.Empty : folder + "/";
        var manifestPath = prefix + "manifest.yaml";
        var partFiles = files.Values.Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal) && (prefix.Length > 0 || !f.Path.Contains('/', StringComparison.Ordinal)))
            .OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        if (!files.TryGetValue(manifestPath, out var manifest))
        {
            diagnostics.Add(Diagnostic.Error("manifest.missing", $"{folder}/ has no manifest.yaml.", manifestPath));
            return null;
        }

        if (!IsUtf8(manifest, diagnostics))
        {
            return null;
        }

        var before = diagnostics.Count;
        var root = YamlReader.Parse(manifest.Text, manifestPath, diagnostics, options.YamlLimits);
        if (root is null)
        {
            return null;
        }

        var templates = new List<ManifestTemplate>();
        var templateFiles = new List<BundleFile>();
        var section = (root as YamlMapping)?["infrastructure"] as YamlMapping;
        if (section?["templates"] is not YamlSequence list || list.Items.Count == 0)
        {
            diagnostics.Add(Diagnostic.Error("manifest.invalid", "manifest.yaml needs 'infrastructure: templates:' with at least one entry.", manifestPath, root.Line, root.Column));
            return null;
        }

        foreach (var item in list.Items)
        {
            if (item is not YamlMapping entry)
            {
                diagnostics.Add(Diagnostic.Error("manifest.invalid", "Each entry of 'templates' is a mapping.", manifestPath, item.Line, item.Column));
                continue;
            }

            var file = Scalar(entry, "file");
            var engine = Scalar(entry, "rendering_engine");
            var language = Scalar(entry, "template_language");
            if (engine is null && Scalar(entry, "engine") is { } alias)
            {
                engine = alias;
                diagnostics.Add(Diagnostic.Warning("manifest.engine-alias", "'engine' is read as 'rendering_engine'; Proton documents 'rendering_engine'.", manifestPath, entry.Line, entry.Column));
            }

            if (engine is null && string.Equals(language, "cloudformation", StringComparison.OrdinalIgnoreCase))
            {
                engine = "jinja";
                diagnostics.Add(Diagnostic.Warning("manifest.missing-engine", "No rendering_engine; a CloudFormation template is rendered with jinja.", manifestPath, entry.Line, entry.Column));
            }

            foreach (var (key, _) in entry.Entries)
            {
                if (key.Value is not ("file" or "rendering_engine" or "template_language" or "engine" or "settings" or "input_type"))
                {
                    diagnostics.Add(Diagnostic.Warning("manifest.unknown-key", $"Unknown manifest key '{key.Value}'.", manifestPath, key.Line, key.Column));
                }
            }

            switch (engine)
            {
                case "jinja" or "scriban":
                    if (language is not null && !string.Equals(language, "cloudformation", StringComparison.OrdinalIgnoreCase))
                    {
                        diagnostics.Add(Diagnostic.Error("manifest.invalid", $"rendering_engine '{engine}' renders CloudFormation; template_language is '{language}'.", manifestPath, entry.Line, entry.Column));
                    }

                    if (file is null or "*")
                    {
                        diagnostics.Add(Diagnostic.Error("manifest.invalid", "A CloudFormation manifest names exactly one file.", manifestPath, entry.Line, entry.Column));
                    }
                    else
                    {
                        AddNamed(file);
                    }

                    break;
                case "hcl":
                    if (file is null)
                    {
                        diagnostics.Add(Diagnostic.Error("manifest.invalid", "A Terraform manifest names a file or '*'.", manifestPath, entry.Line, entry.Column));
                    }
                    else if (file == "*")
                    {
                        var tf = partFiles.Where(f => f.Path.EndsWith(".tf", StringComparison.Ordinal) && !f.Path[prefix.Length..].Contains('/', StringComparison.Ordinal)).ToList();
                        if (tf.Count == 0)
                        {
                            diagnostics.Add(Diagnostic.Error("manifest.file-missing", $"'*' matches no .tf file in {folder}/.", manifestPath, entry.Line, entry.Column));
                        }

                        templateFiles.AddRange(tf);
                    }
                    else
                    {
                        AddNamed(file);
                    }

                    break;
                case "codebuild":
                    if (entry["settings"] is not YamlMapping settings)
                    {
                        diagnostics.Add(Diagnostic.Error("manifest.invalid", "A CodeBuild manifest needs 'settings' with 'provision' commands.", manifestPath, entry.Line, entry.Column));
                    }
                    else if (settings["provision"] is not YamlSequence)
                    {
                        diagnostics.Add(Diagnostic.Error("manifest.invalid", "CodeBuild 'settings' needs a 'provision' list of commands.", manifestPath, settings.Line, settings.Column));
                    }

                    break;
                case null:
                    diagnostics.Add(Diagnostic.Error("manifest.invalid", "A manifest entry needs 'rendering_engine' (jinja, scriban, hcl or codebuild).", manifestPath, entry.Line, entry.Column));
                    break;
                default:
                    diagnostics.Add(Diagnostic.Error("manifest.unknown-engine", $"Unknown rendering_engine '{engine}'; expected jinja, scriban, hcl or codebuild.", manifestPath, entry.Line, entry.Column));
                    break;
            }

            templates.Add(new ManifestTemplate
            {
                File = file,
                RenderingEngine = engine ?? "unknown",
                TemplateLanguage = language,
                Settings = entry["settings"] is YamlMapping s ? (IReadOnlyDictionary<string, object?>?)YamlReader.ToValue(s) : null,
            });

            void AddNamed(string name)
            {
                if (name.Contains("..", StringComparison.Ordinal) || name.StartsWith('/'))
                {
                    diagnostics.Add(Diagnostic.Error(BundleErrorCodes.PathTraversal, $"file '{name}' must name a file inside {folder}/.", manifestPath, entry.Line, entry.Column));
                    return;
                }

                if (files.TryGetValue(prefix + name, out var named))
                {
                    templateFiles.Add(named);
                }
                else
                {
                    var at = entry.KeyOf("file")!;
                    diagnostics.Add(Diagnostic.Error("manifest.file-missing", $"The manifest names '{name}', which is not in {(folder.Length == 0 ? "the bundle" : folder + "/")}.", manifestPath, at.Line, at.Column));
                }
            }
        }

        foreach (var templateFile in templateFiles)
        {
            IsUtf8(templateFile, diagnostics);
        }

        if (diagnostics.Skip(before).Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return null;
        }

        if (templates.Select(t => t.RenderingEngine).Distinct().Count() > 1)
        {
            diagnostics.Add(Diagnostic.Error("manifest.invalid", "All entries of one manifest use the same rendering_engine.", manifestPath, list.Line, list.Column));
            return null;
        }

        if (templates[0].RenderingEngine is "jinja" or "scriban" && templates.Count > 1)
        {
            diagnostics.Add(Diagnostic.Error("manifest.invalid", "A CloudFormation manifest names exactly one file.", manifestPath, list.Line, list.Column));
            return null;
        }

        return new InfrastructurePart
        {
            Kind = kind,
            Folder = folder,
            Templates = templates,
            ProvisioningMethod = templates[0].RenderingEngine switch
            {
                "hcl" => ProvisioningMethod.Terraform,
                "codebuild" => ProvisioningMethod.CodeBuild,
                _ => ProvisioningMethod.CloudFormation,
            },
            TemplateFiles = templateFiles,
            Files = partFiles,
        };
    }

    /// <summary>
    /// Files read as text must be valid UTF-8: an invalid byte is an error at its line and column instead of a U+FFFD in
    /// the text (a leading byte-order mark is dropped, as <see cref="BundleFile.Text"/> does).
    /// </summary>
    private static bool IsUtf8(BundleFile file, List<Diagnostic> diagnostics)
    {
        if (Utf8Text.FindInvalid(file.Content.Span) is not { } invalid)
        {
            return true;
        }

        diagnostics.Add(Diagnostic.Error(BundleErrorCodes.InvalidEncoding, invalid.Describe(file.Path), file.Path, invalid.Line, invalid.Column));
        return false;
    }

    private static string? Scalar(YamlMapping map, string key) => map[key] is YamlScalar s && s.Value.Length > 0 ? s.Value : null;

    private static TemplateRegistration? LoadRegistration(Dictionary<string, BundleFile> files, BundleOptions options, List<Diagnostic> diagnostics)
    {
        if (files.TryGetValue(".template-registration.yaml", out var reg))
        {
            if (!IsUtf8(reg, diagnostics))
            {
                return null;
            }

            var root = YamlReader.Parse(reg.Text, reg.Path, diagnostics, options.YamlLimits) as YamlMapping;
            if (root is null)
            {
                diagnostics.Add(Diagnostic.Error("registration.invalid", "Expected a mapping with 'compatible_environments'.", reg.Path, 1, 1));
                return null;
            }

            var envs = new List<CompatibleEnvironment>();
            if (root["compatible_environments"] is not YamlSequence list)
            {
                diagnostics.Add(Diagnostic.Error("registration.invalid", "'compatible_environments' is required: a list of \"template-name:major-version\".", reg.Path, root.Line, root.Column));
                return null;
            }

            foreach (var item in list.Items)
            {
                if (item is YamlScalar s && ParseCompatible(s.Value) is { } env)
                {
                    envs.Add(env);
                }
                else
                {
                    diagnostics.Add(Diagnostic.Error("registration.invalid", "Each compatible environment is \"template-name:major-version\".", reg.Path, item.Line, item.Column));
                }
            }

            var sources = new List<string>();
            if (root["supported_component_sources"] is YamlSequence src)
            {
                foreach (var item in src.Items)
                {
                    if (item is YamlScalar { Value: "DIRECTLY_DEFINED" } s)
                    {
                        sources.Add(s.Value);
                    }
                    else
                    {
                        diagnostics.Add(Diagnostic.Error("registration.invalid", "supported_component_sources accepts DIRECTLY_DEFINED only.", reg.Path, item.Line, item.Column));
                    }
                }
            }

            return new TemplateRegistration { CompatibleEnvironments = envs, SupportedComponentSources = sources, SourceFile = reg.Path };
        }

        if (files.TryGetValue(".compatible-envs", out var legacy))
        {
            if (!IsUtf8(legacy, diagnostics))
            {
                return null;
            }

            var envs = new List<CompatibleEnvironment>();
            var lineNo = 0;
            foreach (var raw in legacy.Text.Split('\n'))
            {
                lineNo++;
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                if (ParseCompatible(line) is { } env)
                {
                    envs.Add(env);
                }
                else
                {
                    diagnostics.Add(Diagnostic.Error("registration.invalid", $"'{line}' is not \"template-name:major-version\".", legacy.Path, lineNo, 1));
                }
            }

            return new TemplateRegistration { CompatibleEnvironments = envs, SourceFile = legacy.Path };
        }

        return null;
    }

    internal static CompatibleEnvironment? ParseCompatible(string text)
    {
        var i = text.LastIndexOf(':');
        if (i <= 0)
        {
            return null;
        }

        var name = text[..i].Trim();
        return ProtonNames.IsValid(name) && int.TryParse(text[(i + 1)..].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var major) && major >= 1
            ? new CompatibleEnvironment(name, major)
            : null;
    }
}
