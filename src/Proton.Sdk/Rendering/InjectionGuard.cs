using System.Text;
using Proton.Sdk.Internal;

namespace Proton.Sdk.Rendering;

/// <summary>
/// Finds inputs whose values add structure to a rendered template. Proton renders a string input exactly as given (as jinja2
/// does), so a value such as <c>"x\n  Evil:\n    Type: AWS::IAM::User"</c> rendered unquoted adds a resource; byte
/// compatibility forbids escaping it, so the guard detects it instead: it renders the same template again with every input
/// value that could add structure (one with a line break or a YAML indicator) replaced by a plain alphanumeric placeholder of
/// the same length, and compares the structure of both outputs (top-level keys, parameter names, resource logical ids and
/// types, output names). When they differ it renders with one value replaced at a time to name the inputs responsible.
/// Values made only of letters, digits, spaces and <c>,._/=+-</c> are never replaced, so inputs used in logical ids, loops
/// over <c>split(',')</c> and comparisons keep their effect.
/// </summary>
public static class InjectionGuard
{
    /// <summary>Checks one render.</summary>
    /// <param name="renderer">The renderer that produced <paramref name="actualOutput"/>.</param>
    /// <param name="template">The template.</param>
    /// <param name="actual">The context it was rendered with.</param>
    /// <param name="actualOutput">The output of that render.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the extra renders.</param>
    /// <returns>The check; <see cref="InjectionCheck.Tripped"/> when an input changed the structure.</returns>
    /// <exception cref="RenderException">A render with placeholders failed where the actual one did not (rare: a template that branches on such a value).</exception>
    public static InjectionCheck Check(ITemplateRenderer renderer, CompiledTemplate template, RenderContext actual, string actualOutput, InjectionGuardOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(actualOutput);
        options ??= new InjectionGuardOptions();
        if (!options.Enabled || options.ExemptTemplates.Contains(template.FileName))
        {
            return InjectionCheck.NotChecked;
        }

        var suspects = new List<string>();
        Collect(actual.Variables, string.Empty, false, suspects, 0);
        if (suspects.Count == 0 || options.MaxExtraRenders < 1)
        {
            return InjectionCheck.NotChecked;
        }

        var actualShape = Shape(actualOutput);
        var all = new HashSet<string>(suspects, StringComparer.Ordinal);
        var neutral = TryRender(renderer, template, Replace(actual, all), cancellationToken);
        if (neutral is not null && Shape(neutral) == actualShape)
        {
            return new InjectionCheck(true, [], []);
        }

        var guilty = new List<string>();
        var shapeChanged = neutral is not null;
        var neutralShape = neutral is null ? actualShape : Shape(neutral);
        if (suspects.Count == 1)
        {
            guilty.AddRange(shapeChanged ? suspects : []);
        }
        else
        {
            foreach (var path in suspects.Take(options.MaxExtraRenders - 1))
            {
                // Neutralising this value alone changes the structure back.
                if (TryRender(renderer, template, Replace(actual, new HashSet<string>(StringComparer.Ordinal) { path }), cancellationToken) is { } one && Shape(one) != actualShape)
                {
                    guilty.Add(path);
                }
            }

            if (guilty.Count == 0 && shapeChanged)
            {
                // Only the values together change it (one opens a quote, another closes it).
                guilty.AddRange(suspects);
            }
        }

        if (guilty.Count == 0)
        {
            return new InjectionCheck(true, [], []);
        }

        var diagnostics = guilty.Select(path => Diagnostic.Error(
            RenderErrorCodes.Injection,
            $"The value of '{path}' changes the structure of the rendered template ({Describe(actualShape, neutralShape)}); it is rendered unquoted. Quote it in the template (for example '{{{{ value | tojson }}}}' or \"...\") or change the value.",
            template.FileName)).ToList();
        return new InjectionCheck(true, guilty, diagnostics);
    }

    /// <summary>Whether a value could add structure when rendered unquoted.</summary>
    internal static bool CouldAddStructure(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (!IsNeutral(value, i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a character is plain in any YAML context: letters, digits and <c> ,._/=+</c>; <c>-</c> but not <c>- </c> at the
    /// start; <c>:</c> not followed by a space or the end (so ARNs and <c>a:b</c> stay); <c>#</c> not after a space or at the start.
    /// </summary>
    private static bool IsNeutral(string value, int i)
    {
        var c = value[i];
        return char.IsAsciiLetterOrDigit(c) || c switch
        {
            ' ' or ',' or '.' or '_' or '/' or '=' or '+' => true,
            '-' => !(i == 0 && (value.Length == 1 || value[1] == ' ')),
            ':' => i > 0 && i + 1 < value.Length && value[i + 1] is not (' ' or '\t' or '\n' or '\r'),
            '#' => i > 0 && value[i - 1] is not (' ' or '\t'),
            _ => false,
        };
    }

    /// <summary>The placeholder of a value: same length, neutral characters kept, every other one an <c>x</c>.</summary>
    internal static string Placeholder(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            sb.Append(IsNeutral(value, i) ? value[i] : 'x');
        }

        return sb.ToString();
    }

    private static void Collect(object? value, string path, bool underInputs, List<string> found, int depth)
    {
        if (depth > 64 || value is IPlaceholderValues)
        {
            return;
        }

        switch (value)
        {
            case string s when underInputs && CouldAddStructure(s):
                found.Add(path);
                break;
            case IReadOnlyDictionary<string, object?> map:
                foreach (var (key, item) in map)
                {
                    Collect(item, path.Length == 0 ? key : path + "." + key, underInputs || key == "inputs", found, depth + 1);
                }

                break;
            case IReadOnlyList<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    Collect(list[i], $"{path}[{i}]", underInputs, found, depth + 1);
                }

                break;
        }
    }

    private static string? TryRender(ITemplateRenderer renderer, CompiledTemplate template, RenderContext context, CancellationToken cancellationToken)
    {
        try
        {
            return renderer.Render(template, context, cancellationToken);
        }
        catch (RenderException)
        {
            // The template needs the value as it is (it splits it on ':', say): this placeholder tells nothing.
            return null;
        }
    }

    private static RenderContext Replace(RenderContext context, IReadOnlySet<string> paths)
        => RenderContext.From((IReadOnlyDictionary<string, object?>)Copy(context.Variables, string.Empty, paths, 0)!).WithSecretValues(context.SecretValues);

    private static object? Copy(object? value, string path, IReadOnlySet<string> paths, int depth)
    {
        if (depth > 64 || value is IPlaceholderValues)
        {
            return value;
        }

        switch (value)
        {
            case string s:
                return paths.Contains(path) ? Placeholder(s) : s;
            case IReadOnlyDictionary<string, object?> map:
                var copy = new Dictionary<string, object?>(map.Count, StringComparer.Ordinal);
                foreach (var (key, item) in map)
                {
                    copy[key] = Copy(item, path.Length == 0 ? key : path + "." + key, paths, depth + 1);
                }

                return copy;
            case IReadOnlyList<object?> list:
                var items = new List<object?>(list.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    items.Add(Copy(list[i], $"{path}[{i}]", paths, depth + 1));
                }

                return items;
            default:
                return value;
        }
    }

    /// <summary>
    /// The structure of an output as one line per element: top-level keys, parameters, resources with their types, outputs;
    /// or a single line when it is not a YAML mapping.
    /// </summary>
    internal static string Shape(string output)
    {
        var diagnostics = new List<Diagnostic>();
        // The YAML reader turns every malformed text into diagnostics (YamlReaderFuzzTests): null means not YAML.
        var root = YamlReader.Parse(output, "output", diagnostics, new YamlLimits { MaxNodes = 1_000_000 });

        if (root is not YamlMapping map)
        {
            return root is null ? "(not YAML)" : "(not a mapping)";
        }

        var sb = new StringBuilder();
        foreach (var (key, value) in map.Entries)
        {
            sb.Append("key ").Append(key.Value).Append('\n');
            if (key.Value is "Parameters" or "Resources" or "Outputs" or "Conditions" or "Mappings" && value is YamlMapping section)
            {
                foreach (var (name, body) in section.Entries)
                {
                    sb.Append(key.Value).Append(' ').Append(name.Value);
                    if (key.Value == "Resources" && body is YamlMapping r && r["Type"] is YamlScalar type)
                    {
                        sb.Append(' ').Append(type.Value);
                    }

                    sb.Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    private static string Describe(string actual, string neutral)
    {
        if (actual.StartsWith('(') || neutral.StartsWith('('))
        {
            return actual.StartsWith('(') ? "it no longer parses as a YAML mapping" : "it changes what the output is";
        }

        var a = actual.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var n = new HashSet<string>(neutral.Split('\n', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        var added = a.Where(x => !n.Contains(x)).Take(3).ToList();
        var removed = n.Except(a, StringComparer.Ordinal).Take(3).ToList();
        var parts = new List<string>();
        if (added.Count > 0)
        {
            parts.Add("adds " + string.Join(", ", added));
        }

        if (removed.Count > 0)
        {
            parts.Add("removes " + string.Join(", ", removed));
        }

        return parts.Count > 0 ? string.Join("; ", parts) : "its structure depends on the value";
    }
}
