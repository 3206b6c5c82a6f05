using Proton.Sdk.Internal;

namespace Proton.Sdk.Templates;

/// <summary>Parses Proton spec files.</summary>
public static class SpecParser
{
    /// <summary>Reads and parses a spec file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Limits; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The result.</returns>
    public static async ValueTask<SpecParseResult> ParseFileAsync(string path, BundleOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= BundleOptions.Default;

        // Regular files only (a FIFO blocks, /dev/zero never ends), at most 4 bytes per character, strict UTF-8 (or the
        // UTF-16/32 that a byte-order mark names, as File.ReadAllText read it before).
        var (outcome, bytes) = await BoundedFile.ReadAsync(path, 51_200 * 4, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case BoundedFile.Outcome.NotFound:
                return new SpecParseResult(null, [Diagnostic.Error(SpecErrorCodes.NotFound, $"No file at '{path}'.", path)]);
            case BoundedFile.Outcome.SpecialFile:
                return new SpecParseResult(null, [Diagnostic.Error(SpecErrorCodes.SpecialFile, $"'{path}' is not a regular file (a device, FIFO or socket); specs are read from regular files.", path)]);
            case BoundedFile.Outcome.TooLarge:
                return new SpecParseResult(null, [Diagnostic.Error(SpecErrorCodes.TooLarge, "A spec holds at most 51,200 characters.", path)]);
        }

        var text = Utf8Text.TryDecodeWithByteOrderMark(bytes!, out var invalid);
        if (text is null)
        {
            return new SpecParseResult(null, [Diagnostic.Error(SpecErrorCodes.InvalidEncoding, invalid.Describe(path), path, invalid.Line, invalid.Column)]);
        }

        return Parse(text, path, options);
    }

    /// <summary>Parses spec text.</summary>
    /// <param name="text">The YAML.</param>
    /// <param name="file">The file name for diagnostics.</param>
    /// <param name="options">Limits; defaults when null.</param>
    /// <returns>The result.</returns>
    public static SpecParseResult Parse(string text, string file = SpecErrorCodes.Yaml, BundleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= BundleOptions.Default;
        var diagnostics = new List<Diagnostic>();
        if (text.Length > 51_200)
        {
            diagnostics.Add(Diagnostic.Error(SpecErrorCodes.TooLarge, $"The spec has {text.Length} characters; Proton accepts at most 51,200.", file));
            return new SpecParseResult(null, diagnostics);
        }

        var root = YamlReader.Parse(text, file, diagnostics, options.YamlLimits);
        if (root is null)
        {
            if (diagnostics.Count == 0)
            {
                diagnostics.Add(Diagnostic.Error(SpecErrorCodes.Invalid, "The spec is empty; expected 'proton: EnvironmentSpec' or 'proton: ServiceSpec'.", file, 1, 1));
            }

            return new SpecParseResult(null, diagnostics);
        }

        if (root is not YamlMapping map)
        {
            diagnostics.Add(Diagnostic.Error(SpecErrorCodes.Invalid, "A spec is a mapping with a 'proton:' kind.", file, root.Line, root.Column));
            return new SpecParseResult(null, diagnostics);
        }

        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var kindNode = map["proton"];
        var kind = (kindNode as YamlScalar)?.Value;
        ProtonSpec? spec = null;
        switch (kind)
        {
            case "EnvironmentSpec":
                CheckKeys(map, ["proton", "spec"]);
                var inputs = Inputs(map, "spec", "spec");
                if (inputs is not null)
                {
                    spec = new EnvironmentSpec { Spec = inputs, SourceFile = file, Locations = locations };
                }

                break;
            case "ServiceSpec":
                CheckKeys(map, ["proton", "pipeline", "instances"]);
                spec = ParseService(map);
                break;
            case null when kindNode is null:
                diagnostics.Add(Diagnostic.Error(SpecErrorCodes.Kind, "The spec has no 'proton:' kind; expected 'proton: EnvironmentSpec' or 'proton: ServiceSpec'.", file, map.Line, map.Column));
                break;
            default:
                diagnostics.Add(Diagnostic.Error(SpecErrorCodes.Kind, $"Unknown spec kind '{kind}'; expected EnvironmentSpec or ServiceSpec.", file, kindNode!.Line, kindNode.Column));
                break;
        }

        return diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)
            ? new SpecParseResult(null, diagnostics)
            : new SpecParseResult(spec, diagnostics);

        void CheckKeys(YamlMapping m, string[] allowed)
        {
            foreach (var (key, _) in m.Entries)
            {
                if (!allowed.Contains(key.Value))
                {
                    diagnostics.Add(Diagnostic.Warning(SpecErrorCodes.UnknownKey, $"Unknown key '{key.Value}' in a {kind}; it is ignored.", file, key.Line, key.Column));
                }
            }
        }

        IReadOnlyDictionary<string, object?>? Inputs(YamlMapping parent, string key, string path)
        {
            var node = parent[key];
            if (node is null || node is YamlScalar { IsPlain: true, Value: "" or "~" or "null" })
            {
                return new Dictionary<string, object?>();
            }

            if (node is not YamlMapping inputs)
            {
                diagnostics.Add(Diagnostic.Error(SpecErrorCodes.Invalid, $"'{path}' is a mapping of input names to values.", file, node.Line, node.Column) with { Path = path });
                return null;
            }

            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, value) in inputs.Entries)
            {
                result[name.Value] = YamlReader.ToValue(value);
                locations[$"{path}.{name.Value}"] = new SourceLocation(value.Line, value.Column);
            }

            locations[path] = new SourceLocation(node.Line, node.Column);
            return result;
        }

        ServiceSpec? ParseService(YamlMapping m)
        {
            IReadOnlyDictionary<string, object?>? pipeline = null;
            if (m["pipeline"] is not null)
            {
                pipeline = Inputs(m, "pipeline", "pipeline");
            }

            var instances = new List<ServiceInstanceSpec>();
            var names = new Dictionary<string, int>(StringComparer.Ordinal);
            var node = m["instances"];
            if (node is null)
            {
                diagnostics.Add(Diagnostic.Error(SpecErrorCodes.Invalid, "A ServiceSpec needs 'instances:', a list of {name, environment, spec}.", file, m.Line, m.Column) with { Path = "instances" });
                return null;
            }

            if (node is not YamlSequence list)
            {
                diagnostics.Add(Diagnostic.Error(SpecErrorCodes.Invalid, "'instances' is a list of {name, environment, spec}.", file, node.Line, node.Column) with { Path = "instances" });
                return null;
            }

            for (var i = 0; i < list.Items.Count; i++)
            {
                var path = $"instances[{i}]";
                if (list.Items[i] is not YamlMapping item)
                {
                    diagnostics.Add(Diagnostic.Error(SpecErrorCodes.Invalid, "Each instance is a mapping with name, environment and spec.", file, list.Items[i].Line, list.Items[i].Column) with { Path = path });
                    continue;
                }

                foreach (var (key, _) in item.Entries)
                {
                    if (key.Value is not ("name" or "environment" or "spec"))
                    {
                        diagnostics.Add(Diagnostic.Warning(SpecErrorCodes.UnknownKey, $"Unknown key '{key.Value}' in an instance; it is ignored.", file, key.Line, key.Column) with { Path = $"{path}.{key.Value}" });
                    }
                }

                var name = (item["name"] as YamlScalar)?.Value;
                var env = (item["environment"] as YamlScalar)?.Value;
                locations[path] = new SourceLocation(item.Line, item.Column);
                if (ProtonNames.Explain(name) is { } badName)
                {
                    var at = (YamlNode?)item["name"] ?? item;
                    diagnostics.Add(Diagnostic.Error(SpecErrorCodes.Name, $"Invalid instance name: {badName}.", file, at.Line, at.Column) with { Path = $"{path}.name" });
                }
                else if (names.TryGetValue(name!, out var first))
                {
                    var at = item["name"]!;
                    diagnostics.Add(Diagnostic.Error(SpecErrorCodes.DuplicateInstance, $"Instance name '{name}' is used twice (instances[{first}] and instances[{i}]).", file, at.Line, at.Column) with { Path = $"{path}.name" });
                }
                else
                {
                    names[name!] = i;
                }

                if (ProtonNames.Explain(env) is { } badEnv)
                {
                    var at = (YamlNode?)item["environment"] ?? item;
                    diagnostics.Add(Diagnostic.Error(SpecErrorCodes.Environment, $"Invalid environment name: {badEnv}.", file, at.Line, at.Column) with { Path = $"{path}.environment" });
                }

                var inputs = Inputs(item, "spec", $"{path}.spec");
                if (inputs is not null && name is not null && env is not null)
                {
                    instances.Add(new ServiceInstanceSpec(name, env, inputs));
                }
            }

            return new ServiceSpec { Pipeline = pipeline, Instances = instances, SourceFile = file, Locations = locations };
        }
    }
}
