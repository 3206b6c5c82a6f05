using System.Text.Json;

namespace Proton.Sdk.Benchmarks;

/// <summary>Locates the shared corpus next to the repository.</summary>
internal static class BenchmarkData
{
    public static string CorpusRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("PROTON_SDK_CORPUS");
            if (env is not null)
            {
                return env;
            }

            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Proton.Sdk.sln")))
            {
                dir = dir.Parent;
            }

            return dir is null
                ? throw new InvalidOperationException("Set PROTON_SDK_CORPUS to the shared corpus folder.")
                : Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus"));
        }
    }

    /// <summary>The render cases bench_jinja.py selects: those with expected.yaml that are not marked unverified.</summary>
    public static List<(string Template, string Context)> RenderCases()
    {
        var root = Path.Combine(CorpusRoot, "render-cases");
        var cases = new List<(string, string)>();
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(dir, "expected.yaml")))
            {
                continue;
            }

            var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "meta.json"))).RootElement;
            if (meta.TryGetProperty("unverified", out var u) && u.ValueKind != JsonValueKind.False && u.ValueKind != JsonValueKind.Null)
            {
                continue;
            }

            cases.Add((File.ReadAllText(Path.Combine(dir, "template.yaml")), File.ReadAllText(Path.Combine(dir, "context.json"))));
        }

        return cases;
    }
}
