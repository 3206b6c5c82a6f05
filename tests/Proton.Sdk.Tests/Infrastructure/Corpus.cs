using System.Text.Json;

namespace Proton.Sdk.Tests.Infrastructure;

/// <summary>Finds ../shared/corpus next to the repository. Tests that need it fail (never skip) when it is missing.</summary>
public static class Corpus
{
    private static readonly Lazy<string> RootPath = new(Find);

    public static string Root => RootPath.Value;

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Bundles => Path.Combine(Root, "bundles");

    public static string RenderCases => Path.Combine(Root, "render-cases");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Proton.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Proton.Sdk.sln) above " + AppContext.BaseDirectory);
    }

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable("PROTON_SDK_CORPUS");
        var path = env ?? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "corpus"));
        if (!Directory.Exists(Path.Combine(path, "render-cases")))
        {
            throw new InvalidOperationException($"The shared corpus is missing at '{path}'. It is required: the corpus tests fail rather than skip. Set PROTON_SDK_CORPUS to its folder.");
        }

        return path;
    }

    public static IEnumerable<string> RenderCaseIds()
        => Directory.GetDirectories(RenderCases).Select(Path.GetFileName).OrderBy(x => x, StringComparer.Ordinal)!;

    public static JsonElement Meta(string id)
        => JsonDocument.Parse(File.ReadAllText(Path.Combine(RenderCases, id, "meta.json"))).RootElement;
}
