using Proton.Sdk.Rendering;
using Proton.Sdk.Schema;
using Proton.Sdk.Templates;
using Proton.Sdk.Testing;
using Proton.Sdk.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Proton.Sdk.Tests.Testing;

/// <summary>The corpus bundles with the spec files AWS ships beside them, through the tester (specs copied to a temporary folder).</summary>
public sealed class CorpusTemplateTestTests(ITestOutputHelper output)
{
    public static TheoryData<string> Bundles()
    {
        var data = new TheoryData<string>();
        foreach (var schema in Directory.GetFiles(Corpus.Bundles, "schema.yaml", SearchOption.AllDirectories).Where(p => Path.GetFileName(Path.GetDirectoryName(p)) == "schema").Order(StringComparer.Ordinal))
        {
            var root = Path.GetDirectoryName(Path.GetDirectoryName(schema))!;
            if (SpecFiles(root).Any())
            {
                data.Add(Path.GetRelativePath(Corpus.Bundles, root));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Bundles))]
    public async Task RunAsync_CorpusBundleWithItsSpecs_RendersEveryTemplateAndSnapshotsAreStable(string relative)
    {
        var root = Path.Combine(Corpus.Bundles, relative);
        var loaded = await TemplateBundleLoader.LoadAsync(root);
        if (loaded.Bundle is null)
        {
            output.WriteLine("bundle does not load: " + string.Join("; ", loaded.Diagnostics));
            return;
        }

        var schema = SchemaParser.Parse(loaded.Bundle).Schema;
        Assert.NotNull(schema);
        var dir = Path.Combine(Path.GetTempPath(), "proton-corpus-tt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var kind = loaded.Bundle.Kind == TemplateKind.Environment ? "EnvironmentSpec" : "ServiceSpec";
            var specs = SpecFiles(root).Where(f => File.ReadAllText(f).Contains(kind, StringComparison.Ordinal)).ToList();
            foreach (var spec in specs)
            {
                File.Copy(spec, Path.Combine(dir, Path.GetFileName(spec)));
            }

            var tester = new TemplateTester(new TemplateRenderer());
            var first = await tester.RunAsync(loaded.Bundle, schema!, dir);
            var second = await tester.RunAsync(loaded.Bundle, schema!, dir);

            output.WriteLine(TemplateTestReportWriter.ToText(second));
            Assert.All(specs, s => Assert.Contains(second.Cases, c => c.Spec.StartsWith(Path.GetFileName(s), StringComparison.Ordinal)));

            // Rendering is deterministic: what the first run wrote, the second matches.
            Assert.DoesNotContain(second.Cases.SelectMany(c => c.Messages), m => m.Code == TemplateTestErrorCodes.SnapshotChanged);
            Assert.Equal(first.Cases.Count, second.Cases.Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Spec files in the bundle's spec folder or beside the bundle (<c>spec/</c>, <c>specs/</c>, one or two levels up).</summary>
    internal static IEnumerable<string> SpecFiles(string root)
    {
        foreach (var candidate in new[] { Path.Combine(root, "spec"), Path.Combine(root, "..", "spec"), Path.Combine(root, "..", "..", "specs"), Path.Combine(root, "..", "specs"), Path.Combine(root, "..", "..", "..", "specs") })
        {
            if (!Directory.Exists(candidate))
            {
                continue;
            }

            foreach (var f in Directory.GetFiles(candidate, "*.yaml").Order(StringComparer.Ordinal))
            {
                if (File.ReadAllText(f).Contains("proton:", StringComparison.Ordinal))
                {
                    yield return f;
                }
            }

            yield break;
        }
    }
}
