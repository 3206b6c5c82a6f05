using System.Globalization;
using Proton.Sdk.Internal;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Schema;

/// <summary>Parses Proton <c>schema.yaml</c> files and checks them against themselves and their bundle.</summary>
public static class SchemaParser
{
    private static readonly HashSet<string> PropertyKeywords =
    [
        "type", "title", "description", "default", "enum", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "items", "example", "format",
    ];

    private static readonly HashSet<string> Unsupported =
    [
        "$ref", "allOf", "oneOf", "anyOf", "not", "additionalProperties", "patternProperties", "properties", "dependencies", "if", "then", "else",
        "const", "contains", "propertyNames", "multipleOf", "discriminator", "readOnly", "writeOnly", "nullable",
    ];

    /// <summary>Parses the schema of a bundle and checks that it declares the input types the bundle needs.</summary>
    /// <param name="bundle">The bundle.</param>
    /// <param name="options">Limits; defaults when null.</param>
    /// <returns>The result.</returns>
    public static SchemaParseResult Parse(TemplateBundle bundle, BundleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (bundle.SchemaFile is null)
        {
            return new SchemaParseResult(null, [Diagnostic.Error("schema.missing", "The bundle has no schema/schema.yaml.", bundle.Source)]);
        }

        var result = Parse(bundle.SchemaFile.Text, bundle.SchemaFile.Path, options);
        if (result.Schema is not { } schema)
        {
            return result;
        }

        var diagnostics = result.Diagnostics.ToList();
        var file = bundle.SchemaFile.Path;
        switch (bundle.Kind)
        {
            case TemplateKind.Environment:
                if (schema.EnvironmentInput is null)
                {
                    diagnostics.Add(Diagnostic.Error("schema.input-type-missing", "An environment template's schema needs 'environment_input_type'.", file, 1, 1));
                }

                if (schema.ServiceInput is not null || schema.PipelineInput is not null)
                {
                    diagnostics.Add(Diagnostic.Error("schema.input-type-unexpected", "An environment template's schema has only 'environment_input_type'.", file, 1, 1));
                }

                if (bundle.IsCustomerManaged && schema.EnvironmentInput is { } outputs)
                {
                    foreach (var p in outputs.Properties.Where(p => p.Type != SchemaValueType.String))
                    {
                        diagnostics.Add(Diagnostic.Error("schema.type", $"'{p.Name}': a customer-managed environment's schema lists its outputs, which are strings only.", file, p.Location.Line, p.Location.Column));
                    }
                }

                break;
            case TemplateKind.Service:
                if (schema.ServiceInput is null)
                {
                    diagnostics.Add(Diagnostic.Error("schema.input-type-missing", "A service template's schema needs 'service_input_type'.", file, 1, 1));
                }

                if (schema.EnvironmentInput is not null)
                {
                    diagnostics.Add(Diagnostic.Error("schema.input-type-unexpected", "A service template's schema has no 'environment_input_type'.", file, 1, 1));
                }

                if (schema.PipelineInput is not null && !bundle.HasPipeline)
                {
                    diagnostics.Add(Diagnostic.Error("schema.input-type-unexpected", "'pipeline_input_type' is declared but the bundle has no pipeline_infrastructure/.", file, 1, 1));
                }

                break;
        }

        return diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)
            ? new SchemaParseResult(null, diagnostics)
            : new SchemaParseResult(schema, diagnostics);
    }

    /// <summary>Parses schema text and checks it against itself.</summary>
    /// <param name="text">The YAML.</param>
    /// <param name="file">The file name for diagnostics.</param>
    /// <param name="options">Limits; defaults when null.</param>
    /// <returns>The result.</returns>
    public static SchemaParseResult Parse(string text, string file = "schema/schema.yaml", BundleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var budget = RegexBudget.Begin();
        options ??= BundleOptions.Default;
        var diagnostics = new List<Diagnostic>();
        if (text.Length > 51_200)
        {
            diagnostics.Add(Diagnostic.Error("schema.too-large", $"The schema has {text.Length} characters; Proton accepts at most 51,200.", file));
            return new SchemaParseResult(null, diagnostics);
        }

        var root = YamlReader.Parse(text, file, diagnostics, options.YamlLimits);
        if (root is null)
        {
            if (diagnostics.Count == 0)
            {
                diagnostics.Add(Diagnostic.Error("schema.invalid", "The schema is empty.", file, 1, 1));
            }

            return new SchemaParseResult(null, diagnostics);
        }

        void Error(string code, string message, YamlNode at) => diagnostics.Add(Diagnostic.Error(code, message, file, at.Line, at.Column));
        void Warn(string code, string message, YamlNode at) => diagnostics.Add(Diagnostic.Warning(code, message, file, at.Line, at.Column));

        if ((root as YamlMapping)?["schema"] is not YamlMapping schema)
        {
            Error("schema.invalid", "A schema file starts with 'schema:'.", root);
            return new SchemaParseResult(null, diagnostics);
        }

        if ((schema["format"] as YamlMapping)?["openapi"] is not YamlScalar openapi)
        {
            Error("schema.format", "'schema.format.openapi' is required (\"3.0.0\").", schema);
        }
        else if (!openapi.Value.StartsWith("3.", StringComparison.Ordinal))
        {
            Error("schema.format", $"'schema.format.openapi' is '{openapi.Value}'; Proton schemas are OpenAPI 3.0.", openapi);
        }

        foreach (var (key, _) in schema.Entries)
        {
            if (key.Value is not ("format" or "environment_input_type" or "service_input_type" or "pipeline_input_type" or "types"))
            {
                Warn("schema.unknown-keyword", $"Unknown key 'schema.{key.Value}' is ignored.", key);
            }
        }

        var types = new Dictionary<string, SchemaInputType>(StringComparer.Ordinal);
        if (schema["types"] is not YamlMapping typesNode)
        {
            Error("schema.invalid", "'schema.types' is required: a mapping of input type names to definitions.", schema);
            return new SchemaParseResult(null, diagnostics);
        }

        foreach (var (name, node) in typesNode.Entries)
        {
            var type = ParseType(name.Value, node);
            if (type is not null)
            {
                types[name.Value] = type;
            }
        }

        SchemaInputType? Resolve(string key)
        {
            if (schema[key] is null)
            {
                return null;
            }

            if (schema[key] is not YamlScalar s || s.Value.Length == 0)
            {
                Error("schema.invalid", $"'schema.{key}' names a type under 'types'.", schema[key]!);
                return null;
            }

            if (!types.TryGetValue(s.Value, out var t))
            {
                if (!typesNode.Entries.Any(e => e.Key.Value == s.Value))
                {
                    Error("schema.input-type-missing", $"'schema.{key}' is '{s.Value}', which 'types' does not define.", s);
                }

                return null;
            }

            return t;
        }

        var env = Resolve("environment_input_type");
        var svc = Resolve("service_input_type");
        var pipe = Resolve("pipeline_input_type");
        if (schema["environment_input_type"] is null && schema["service_input_type"] is null)
        {
            Error("schema.input-type-missing", "The schema needs 'environment_input_type' or 'service_input_type'.", schema);
        }

        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return new SchemaParseResult(null, diagnostics);
        }

        return new SchemaParseResult(
            new ParameterSchema { SourceFile = file, EnvironmentInput = env, ServiceInput = svc, PipelineInput = pipe, Types = types },
            diagnostics);

        SchemaInputType? ParseType(string typeName, YamlNode node)
        {
            if (node is not YamlMapping map)
            {
                Error("schema.invalid", $"Type '{typeName}' is a mapping with 'type: object' and 'properties'.", node);
                return null;
            }

            var errorsBefore = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            foreach (var (key, _) in map.Entries)
            {
                if (Unsupported.Contains(key.Value) && key.Value != "properties")
                {
                    Error("schema.unsupported", $"'{key.Value}' is not supported in Proton schemas (type '{typeName}').", key);
                }
                else if (key.Value is not ("type" or "description" or "properties" or "required" or "title"))
                {
                    Warn("schema.unknown-keyword", $"Unknown keyword '{key.Value}' in type '{typeName}' is ignored.", key);
                }
            }

            if ((map["type"] as YamlScalar)?.Value is { } t && t != "object")
            {
                Error("schema.type", $"Input type '{typeName}' must be 'type: object', not '{t}'.", map["type"]!);
            }

            var properties = new List<SchemaProperty>();
            if (map["properties"] is YamlMapping props)
            {
                foreach (var (propName, propNode) in props.Entries)
                {
                    if (propName.Value.Length > 100)
                    {
                        Error("schema.invalid", $"Input name '{propName.Value[..20]}...' is longer than 100 characters.", propName);
                    }

                    var p = ParseProperty(propName.Value, propNode, $"{typeName}.{propName.Value}", topLevel: true);
                    if (p is not null)
                    {
                        properties.Add(p);
                    }
                }
            }
            else if (map["properties"] is not null and not YamlScalar { IsPlain: true, Value: "" or "~" or "null" })
            {
                Error("schema.invalid", $"'properties' of '{typeName}' is a mapping of input names to definitions.", map["properties"]!);
            }

            var required = new List<string>();
            if (map["required"] is YamlSequence req)
            {
                foreach (var item in req.Items)
                {
                    if (item is not YamlScalar r)
                    {
                        Error("schema.invalid", "'required' lists input names.", item);
                    }
                    else if (properties.All(p => p.Name != r.Value))
                    {
                        Error("schema.required-unknown", $"'{r.Value}' is required but '{typeName}' has no such property.", r);
                    }
                    else
                    {
                        required.Add(r.Value);
                    }
                }
            }
            else if (map["required"] is { } other)
            {
                Error("schema.invalid", "'required' is a list of input names.", other);
            }

            if (diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) > errorsBefore)
            {
                return null;
            }

            return new SchemaInputType
            {
                Name = typeName,
                Description = (map["description"] as YamlScalar)?.Value,
                Properties = properties,
                Required = required,
            };
        }

        SchemaProperty? ParseProperty(string name, YamlNode node, string where, bool topLevel)
        {
            if (node is not YamlMapping map)
            {
                Error("schema.invalid", $"'{where}' is a mapping with at least 'type'.", node);
                return null;
            }

            var errorsBefore = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            foreach (var (key, _) in map.Entries)
            {
                if (Unsupported.Contains(key.Value))
                {
                    Error("schema.unsupported", $"'{key.Value}' is not supported in Proton schemas ('{where}'): inputs are strings, numbers, integers, booleans and arrays of those.", key);
                }
                else if (!PropertyKeywords.Contains(key.Value))
                {
                    Warn("schema.unknown-keyword", $"Unknown keyword '{key.Value}' in '{where}' is ignored.", key);
                }
            }

            var typeText = (map["type"] as YamlScalar)?.Value;
            SchemaValueType type;
            switch (typeText)
            {
                case "string": type = SchemaValueType.String; break;
                case "number": type = SchemaValueType.Number; break;
                case "integer": type = SchemaValueType.Integer; break;
                case "boolean": type = SchemaValueType.Boolean; break;
                case "array" when topLevel: type = SchemaValueType.Array; break;
                case "array":
                    Error("schema.unsupported", $"'{where}': arrays of arrays are not supported.", map["type"]!);
                    return null;
                case "object":
                    Error("schema.unsupported", $"'{where}': nested objects are not supported in Proton schemas.", map["type"]!);
                    return null;
                case null:
                    Error("schema.type", $"'{where}' needs a 'type' (string, number, integer, boolean or array).", map);
                    return null;
                default:
                    Error("schema.type", $"'{where}' has unknown type '{typeText}'; expected string, number, integer, boolean or array.", map["type"]!);
                    return null;
            }

            double? Number(string key)
            {
                if (map[key] is not { } n)
                {
                    return null;
                }

                if (n is YamlScalar s && YamlReader.ScalarValue(s) is long or double && s.IsPlain)
                {
                    return Convert.ToDouble(YamlReader.ScalarValue(s), CultureInfo.InvariantCulture);
                }

                Error("schema.invalid", $"'{key}' of '{where}' is a number.", n);
                return null;
            }

            int? Count(string key)
            {
                var d = Number(key);
                if (d is null)
                {
                    return null;
                }

                if (d < 0 || d != Math.Floor(d.Value) || d > int.MaxValue)
                {
                    Error("schema.invalid", $"'{key}' of '{where}' is a non-negative integer.", map[key]!);
                    return null;
                }

                return (int)d.Value;
            }

            bool Flag(string key)
            {
                if (map[key] is not { } f)
                {
                    return false;
                }

                if (f is YamlScalar s && YamlReader.ScalarValue(s) is bool b)
                {
                    return b;
                }

                Error("schema.invalid", $"'{key}' of '{where}' is true or false.", f);
                return false;
            }

            // OpenAPI 3.0: exclusiveMinimum/Maximum are booleans that modify minimum/maximum; a number (JSON Schema) is accepted too.
            var minimum = Number("minimum");
            var maximum = Number("maximum");
            var exclusiveMin = false;
            var exclusiveMax = false;
            foreach (var (key, isMin) in new[] { ("exclusiveMinimum", true), ("exclusiveMaximum", false) })
            {
                if (map[key] is YamlScalar s && YamlReader.ScalarValue(s) is long or double)
                {
                    var v = Convert.ToDouble(YamlReader.ScalarValue(s), CultureInfo.InvariantCulture);
                    if (isMin)
                    {
                        minimum = v;
                        exclusiveMin = true;
                    }
                    else
                    {
                        maximum = v;
                        exclusiveMax = true;
                    }
                }
                else if (map[key] is not null)
                {
                    var flag = Flag(key);
                    if (isMin)
                    {
                        exclusiveMin = flag;
                    }
                    else
                    {
                        exclusiveMax = flag;
                    }
                }
            }

            SchemaProperty? items = null;
            if (type == SchemaValueType.Array)
            {
                if (map["items"] is null)
                {
                    Error("schema.invalid", $"'{where}' is an array and needs 'items'.", map);
                }
                else
                {
                    items = ParseProperty(name, map["items"]!, where + ".items", topLevel: false);
                }
            }
            else if (map["items"] is { } misplaced)
            {
                Warn("schema.unknown-keyword", $"'items' applies to arrays; '{where}' is a {typeText}.", misplaced);
            }

            IReadOnlyList<object?>? enumValues = null;
            if (map["enum"] is YamlSequence enumNode)
            {
                enumValues = enumNode.Items.Select(YamlReader.ToValue).ToList();
                if (enumValues.Count == 0)
                {
                    Error("schema.invalid", $"'enum' of '{where}' lists at least one value.", enumNode);
                }
            }
            else if (map["enum"] is { } badEnum)
            {
                Error("schema.invalid", $"'enum' of '{where}' is a list.", badEnum);
            }

            var pattern = (map["pattern"] as YamlScalar)?.Value;
            if (pattern is not null && !EcmaRegex.TryGet(pattern, out _, out var regexError))
            {
                Error("schema.pattern-invalid", $"'pattern' of '{where}' is not a valid ECMAScript regular expression: {regexError}", map["pattern"]!);
            }

            var formatText = (map["format"] as YamlScalar)?.Value;
            var property = new SchemaProperty
            {
                Name = name,
                Type = type,
                Title = (map["title"] as YamlScalar)?.Value,
                Description = (map["description"] as YamlScalar)?.Value,
                HasDefault = map["default"] is not null,
                Default = YamlReader.ToValue(map["default"]),
                Enum = enumValues,
                Pattern = pattern,
                Minimum = minimum,
                Maximum = maximum,
                ExclusiveMinimum = exclusiveMin,
                ExclusiveMaximum = exclusiveMax,
                MinLength = Count("minLength"),
                MaxLength = Count("maxLength"),
                MinItems = Count("minItems"),
                MaxItems = Count("maxItems"),
                UniqueItems = Flag("uniqueItems"),
                Items = items,
                Example = YamlReader.ToValue(map["example"]),
                Format = formatText,
                Location = new SourceLocation(map.Line, map.Column),
            };

            if (diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) > errorsBefore)
            {
                return null;
            }

            // The schema checks itself: defaults and enum values satisfy their own constraints. A bad default is a warning,
            // because Proton registered such bundles (AWS's saas ecs-fargate-service sample has a boolean defaulting to
            // 'public'); validation fails only when the default is actually used.
            // A pattern that times out (or outlasts the call's matching budget) is refused once, at the pattern, and not tried again.
            var patternRefused = false;
            bool Refused(RuleFailure failure)
            {
                if (failure.Code != SchemaErrorCodes.PatternTimeout)
                {
                    return false;
                }

                if (!patternRefused)
                {
                    patternRefused = true;
                    Error(SchemaErrorCodes.PatternTimeout, $"'pattern' of '{where}' is refused: checking a value of the schema against it took too long ({failure.Message[(failure.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]}). Simplify the pattern (nested quantifiers such as (a+)+ backtrack catastrophically).", map["pattern"] ?? map);
                }

                return true;
            }

            if (property.HasDefault && topLevel)
            {
                foreach (var failure in ValueRules.Check(property, property.Default))
                {
                    if (!Refused(failure))
                    {
                        Warn("schema.default-invalid", $"The default of '{where}' does not satisfy its own schema: {failure.Message}; specs must set it.", map["default"]!);
                    }
                }
            }

            if (enumValues is not null)
            {
                var withoutEnum = property with { Enum = null };
                for (var i = 0; i < enumValues.Count; i++)
                {
                    foreach (var failure in ValueRules.Check(withoutEnum, enumValues[i]))
                    {
                        if (!Refused(failure))
                        {
                            Error("schema.enum-invalid", $"Enum value {i} of '{where}' does not satisfy its own schema: {failure.Message}", ((YamlSequence)map["enum"]!).Items[i]);
                        }
                    }
                }
            }

            if (property.MinLength > property.MaxLength || property.MinItems > property.MaxItems || property.Minimum > property.Maximum)
            {
                Error("schema.invalid", $"'{where}' has a lower bound above its upper bound.", map);
            }

            return diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) > errorsBefore ? null : property;
        }
    }
}
