using Proton.Sdk.Internal;
using Proton.Sdk.Rendering;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Rendering;

/// <summary>
/// The YAML reader turns every malformed text into diagnostics: nothing escapes from it as an exception, so its callers
/// (the injection guard's shape, schema and spec readers) need no catch-all. Mutates the corpus's expected renderings.
/// </summary>
public sealed class YamlReaderFuzzTests
{
    private static readonly string[] Fragments =
    [
        ":", "- ", "[", "]", "{", "}", "&a ", "*a", "*", "&", "!", "!!", "!<x> ", "|", ">", "'", "\"", "%YAML 1.1\n", "%", "@", "`",
        "\t", "\n", "\n  ", "\n---\n", "...", "? ", ",", "#", "\\", "\u00e9", "\uFEFF", "\0", "\u2028", "&a [*a, *a]\n", "<<: *a\n",
    ];

    [Fact]
    public void MutatedTemplates_NeverThrow_AndInvalidOnesCarryDiagnostics()
    {
        var sources = Directory.EnumerateFiles(Corpus.RenderCases, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith("expected", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Take(40)
            .Select(File.ReadAllText)
            .Where(t => t.Length > 0)
            .ToList();
        Assert.NotEmpty(sources);
        var random = new Random(1234);
        var invalid = 0;
        for (var i = 0; i < 6000; i++)
        {
            var text = sources[random.Next(sources.Count)];
            var edits = random.Next(1, 6);
            for (var e = 0; e < edits; e++)
            {
                var at = random.Next(text.Length + 1);
                text = random.Next(4) switch
                {
                    0 => text[..at],
                    1 => text.Remove(at, Math.Min(random.Next(1, 20), text.Length - at)),
                    _ => text.Insert(at, Fragments[random.Next(Fragments.Length)]),
                };
            }

            var diagnostics = new List<Diagnostic>();
            var root = YamlReader.Parse(text, "x.yaml", diagnostics);
            if (diagnostics.Count > 0)
            {
                invalid++;
                Assert.Null(root);
            }
            else if (root is null)
            {
                // No node and no error: only an empty document (blank, comments, markers) may read as nothing.
                Assert.True(IsEmptyDocument(text), "no node and no diagnostic for: " + System.Text.Json.JsonSerializer.Serialize(text));
            }

            // The injection guard's shape of any output is a string (possibly empty for an empty mapping), never an exception.
            Assert.NotNull(InjectionGuard.Shape(text));
        }

        Assert.True(invalid > 100, $"only {invalid} of 6000 mutations were invalid YAML: the fuzzing does not reach the error paths");
    }

    private static bool IsEmptyDocument(string text) => text.Split('\n').Select(l => l.Trim(' ', '\t', '\r', '\uFEFF', '\u2028', '\u2029', '\u0085')).All(l =>
        l.Length == 0 || l.StartsWith('#') || l.StartsWith('%') || l.StartsWith("---", StringComparison.Ordinal) || l.StartsWith("...", StringComparison.Ordinal));
}
