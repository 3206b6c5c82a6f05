using BenchmarkDotNet.Attributes;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Benchmarks;

/// <summary>Loading the fargate-svc sample bundle: from memory (baseline), from its folder, from a .tar.gz.</summary>
[MemoryDiagnoser]
public class BundleLoadingBenchmarks
{
    private Dictionary<string, string> _files = [];
    private string _folder = string.Empty;
    private byte[] _archive = [];

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Proton.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        _folder = Path.Combine(dir!.FullName, "samples", "templates", "fargate-svc", "v1");
        _files = Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(_folder, f).Replace('\\', '/'), File.ReadAllText);
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new System.Formats.Tar.TarWriter(gzip, leaveOpen: true))
        {
            foreach (var f in Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories))
            {
                tar.WriteEntry(f, Path.GetRelativePath(_folder, f).Replace('\\', '/'));
            }
        }

        _archive = buffer.ToArray();
    }

    [Benchmark(Baseline = true)]
    public async Task<TemplateBundle> InMemory() => (await TemplateBundleLoader.LoadAsync(new InMemoryBundleSource(_files))).GetBundleOrThrow();

    [Benchmark]
    public async Task<TemplateBundle> Folder() => (await TemplateBundleLoader.LoadAsync(new DirectoryBundleSource(_folder))).GetBundleOrThrow();

    [Benchmark]
    public async Task<TemplateBundle> TarGz() => (await TemplateBundleLoader.LoadAsync(new TarGzBundleSource(new MemoryStream(_archive), "bench"))).GetBundleOrThrow();
}

/// <summary>One record write (create then update) in the in-memory store (baseline) and the file-system store.</summary>
[MemoryDiagnoser]
public class StoreWriteBenchmarks
{
    private readonly byte[] _document = System.Text.Encoding.UTF8.GetBytes("{\"x\":\"" + new string('x', 2_000) + "\"}");
    private InMemoryProtonStore _memory = null!;
    private FileSystemProtonStore _files = null!;
    private string _root = string.Empty;
    private int _n;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("proton-bench-store-").FullName;
        _memory = new InMemoryProtonStore();
        _files = new FileSystemProtonStore(_root);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Baseline = true)]
    public async Task InMemoryCreateAndUpdate()
    {
        var key = "k" + _n++;
        var r = await _memory.PutAsync("deployments", key, _document, null);
        await _memory.PutAsync("deployments", key, _document, r.Revision);
    }

    [Benchmark]
    public async Task FileSystemCreateAndUpdate()
    {
        var key = "k" + _n++;
        var r = await _files.PutAsync("deployments", key, _document, null);
        await _files.PutAsync("deployments", key, _document, r.Revision);
    }
}
