using System.Text.RegularExpressions;

namespace Proton.Sdk.Testing;

/// <summary>The inputs a template's source uses: <c>environment.inputs.x</c>, <c>service_instance.inputs.x</c>, <c>pipeline.inputs.x</c>.</summary>
internal static partial class InputUsage
{
    public sealed record Use(string Namespace, string Name, int Line, int Column);

    public static IEnumerable<Use> Scan(string source)
    {
        foreach (Match m in Qualified().Matches(source))
        {
            var (line, column) = Position(source, m.Index);
            yield return new Use(m.Groups[1].Value, m.Groups[2].Value, line, column);
        }
    }

    /// <summary>Every name used as <c>.inputs.x</c> after anything (a loop variable over <c>service_instances</c> included).</summary>
    public static IEnumerable<string> AnyUse(string source) => Any().Matches(source).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);

    /// <summary>Every <c>environment.outputs.X</c> (or <c>environment.outputs["X"]</c>, after <c>service_instance.</c> too) a template's source reads.</summary>
    public static IEnumerable<Use> EnvironmentOutputs(string source)
    {
        foreach (Match m in EnvironmentOutput().Matches(source))
        {
            var (line, column) = Position(source, m.Index);
            yield return new Use("environment", m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, line, column);
        }
    }

    private static (int Line, int Column) Position(string text, int index)
    {
        var line = 1;
        var start = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                start = i + 1;
            }
        }

        return (line, index - start + 1);
    }

    [GeneratedRegex(@"\b(environment|service_instance|pipeline)\s*\.\s*inputs\.([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Qualified();

    [GeneratedRegex(@"\.\s*inputs\s*(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['""]([A-Za-z_][A-Za-z0-9_]*)['""]\s*\])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Any();

    [GeneratedRegex(@"\benvironment\s*\.\s*outputs\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*['""]([A-Za-z_][A-Za-z0-9_]*)['""]\s*\])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EnvironmentOutput();
}
