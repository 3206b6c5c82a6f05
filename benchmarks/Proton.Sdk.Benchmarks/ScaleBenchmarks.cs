using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Storage;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Benchmarks;

/// <summary>
/// Issue #17: operations on a fleet of N environments (1,000 and 10,000) on the in-memory and the file store. The fleet
/// is built once per N through the platform (in memory, with a provisioner that does nothing) and saved as a folder store
/// under the temp folder (<c>proton-bench-fleet-{N}-v1</c>); each benchmark process copies it (file) or loads it (memory),
/// so the records are exactly what the platform writes. Store reads per operation (a get or a listed record, counted by
/// <see cref="CountingProtonStore"/>) are printed by the set-up as <c>// reads</c> lines.
/// </summary>
[MemoryDiagnoser]
public class ScaleBenchmarks
{
    private const string Layout = "v1";
    private ProtonPlatform _platform = null!;
    private CountingProtonStore _store = null!;
    private string? _folder;
    private int _created;

    [Params(1_000, 10_000)]
    public int N { get; set; }

    [Params("memory", "file")]
    public string Store { get; set; } = "memory";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var fleet = await FleetFolderAsync(N);
        IProtonStore inner;
        if (Store == "file")
        {
            _folder = Path.Combine(Path.GetTempPath(), $"proton-bench-run-{Guid.NewGuid():N}");
            CopyFolder(fleet, _folder);
            inner = new FileSystemProtonStore(_folder);
        }
        else
        {
            inner = await LoadAsync(fleet);
        }

        _store = new CountingProtonStore(inner);
        _platform = NewPlatform(_store);

        // One of each operation, counted, before the measured runs.
        var reads = new List<string>();
        foreach (var (name, operation) in new (string, Func<Task>)[]
        {
            ("CreateEnvironment", CreateEnvironment), ("UpdateEnvironment", UpdateEnvironment), ("Summary", Summary),
            ("PlanUpgrade", PlanUpgrade), ("ListDeploymentsOfOneEnvironment", ListDeploymentsOfOneEnvironment),
        })
        {
            _store.Reset();
            await operation();
            reads.Add($"{name}={_store.Reads}");
        }

        var line = $"// reads N={N} store={Store}: {string.Join(' ', reads)}";
        Console.WriteLine(line);
        await File.AppendAllTextAsync(Path.Combine(Path.GetTempPath(), "proton-bench-scale-reads.txt"), line + Environment.NewLine);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Benchmark]
    public async Task CreateEnvironment()
    {
        var d = await _platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = $"new-{Interlocked.Increment(ref _created)}", TemplateName = "env", TemplateVersion = "1.0.0" });
        Check(d.Status == DeploymentStatus.Succeeded, d.StatusMessage);
    }

    [Benchmark]
    public async Task UpdateEnvironment()
    {
        var d = await _platform.UpdateEnvironmentAsync("env-00003", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion });
        Check(d!.Status == DeploymentStatus.Succeeded, d.StatusMessage);
    }

    [Benchmark]
    public async Task Summary() => Check((await _platform.GetSummaryAsync()).Single().Total >= N, "summary");

    [Benchmark]
    public async Task PlanUpgrade() => Check((await _platform.PlanUpgradeAsync("env")).Steps.Count >= N, "plan");

    /// <summary>The baseline: one environment's deployments, a prefix read of what it returns.</summary>
    /// <returns>A task.</returns>
    [Benchmark(Baseline = true)]
    public async Task ListDeploymentsOfOneEnvironment() => Check((await _platform.ListDeploymentsAsync("env-00007")).Count >= 1, "listing");

    private static void Check(bool ok, string? what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"benchmark operation failed: {what}");
        }
    }

    private static ProtonPlatform NewPlatform(IProtonStore store)
        => new(store, new NothingProvisioner(), new ProtonPlatformOptions { DefaultAccountId = "123456789012" });

    private static InMemoryBundleSource Bundle(string extra) => new(new Dictionary<string, string>
    {
        ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: \"EnvInput\"\n  types:\n    EnvInput:\n      type: object\n      properties:\n        cidr:\n          type: string\n          default: \"10.0.0.0/16\"\n" + extra,
        ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["infrastructure/cloudformation.yaml"] = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: '{{ environment.inputs.cidr }}'\nOutputs:\n  VpcId:\n    Value: !Ref Vpc\n",
    });

    /// <summary>The saved fleet of <paramref name="n"/> environments on 1.0.0 of "env" (1.1.0 published), built when missing.</summary>
    private static async Task<string> FleetFolderAsync(int n)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"proton-bench-fleet-{n}-{Layout}");
        if (File.Exists(Path.Combine(folder, "complete")))
        {
            return folder;
        }

        var clock = Stopwatch.StartNew();
        var recording = new RecordingStore();
        var platform = NewPlatform(recording);
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        await platform.Registry.PublishAsync("env", (await platform.Registry.RegisterVersionAsync("env", Bundle(string.Empty), new RegisterVersionOptions { Version = "1.0.0" })).Version.Version);
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, ct) =>
        {
            var d = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = $"env-{i:D5}", TemplateName = "env" }, cancellationToken: ct);
            Check(d.Status == DeploymentStatus.Succeeded, d.StatusMessage);
        });
        await platform.Registry.PublishAsync("env", (await platform.Registry.RegisterVersionAsync("env", Bundle("        size:\n          type: string\n          default: small\n"), new RegisterVersionOptions { Version = "1.1.0" })).Version.Version);

        // Saved in the folder store's own format: records/{collection}/{key}.json and blobs/{hh}/{hash}.
        var building = folder + ".building-" + Environment.ProcessId;
        foreach (var collection in recording.Collections.Keys)
        {
            Directory.CreateDirectory(Path.Combine(building, "records", collection));
            foreach (var r in await recording.Inner.ListAsync(collection))
            {
                var json = Encoding.UTF8.GetBytes("{\"revision\":\"1\",\"document\":").Concat(r.Document.ToArray()).Concat("}"u8.ToArray()).ToArray();
                await File.WriteAllBytesAsync(Path.Combine(building, "records", collection, r.Key + ".json"), json);
            }
        }

        foreach (var hash in recording.Blobs.Keys)
        {
            Directory.CreateDirectory(Path.Combine(building, "blobs", hash[..2]));
            await File.WriteAllBytesAsync(Path.Combine(building, "blobs", hash[..2], hash), (await recording.Inner.GetBlobAsync(hash))!.Value.ToArray());
        }

        await File.WriteAllTextAsync(Path.Combine(building, "complete"), $"{n} environments built in {clock.Elapsed.TotalSeconds:F0} s");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.Move(building, folder);
        Console.WriteLine($"// fleet of {n} built and saved in {clock.Elapsed.TotalSeconds:F0} s: {folder}");
        return folder;
    }

    private static async Task<InMemoryProtonStore> LoadAsync(string folder)
    {
        var store = new InMemoryProtonStore();
        var files = new FileSystemProtonStore(folder);
        foreach (var dir in Directory.GetDirectories(Path.Combine(folder, "records")))
        {
            var collection = Path.GetFileName(dir);
            foreach (var r in await files.ListAsync(collection))
            {
                await store.PutAsync(collection, r.Key, r.Document, null);
            }
        }

        foreach (var blob in Directory.GetFiles(Path.Combine(folder, "blobs"), "*", SearchOption.AllDirectories))
        {
            await store.PutBlobAsync(await File.ReadAllBytesAsync(blob));
        }

        return store;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    /// <summary>An in-memory store that remembers which collections and blobs were written, so that the fleet can be saved.</summary>
    private sealed class RecordingStore : IProtonStore
    {
        public InMemoryProtonStore Inner { get; } = new();

        public ConcurrentDictionary<string, bool> Collections { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, bool> Blobs { get; } = new(StringComparer.Ordinal);

        public ValueTask<StoredRecord?> GetAsync(string collection, string key, CancellationToken cancellationToken = default) => Inner.GetAsync(collection, key, cancellationToken);

        public ValueTask<IReadOnlyList<StoredRecord>> ListAsync(string collection, string? keyPrefix = null, CancellationToken cancellationToken = default) => Inner.ListAsync(collection, keyPrefix, cancellationToken);

        public ValueTask<StoredRecord> PutAsync(string collection, string key, ReadOnlyMemory<byte> document, string? expectedRevision, CancellationToken cancellationToken = default)
        {
            Collections[collection] = true;
            return Inner.PutAsync(collection, key, document, expectedRevision, cancellationToken);
        }

        public ValueTask DeleteAsync(string collection, string key, string expectedRevision, CancellationToken cancellationToken = default) => Inner.DeleteAsync(collection, key, expectedRevision, cancellationToken);

        public async ValueTask<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        {
            var hash = await Inner.PutBlobAsync(content, cancellationToken).ConfigureAwait(false);
            Blobs[hash] = true;
            return hash;
        }

        public ValueTask<ReadOnlyMemory<byte>?> GetBlobAsync(string hash, CancellationToken cancellationToken = default) => Inner.GetBlobAsync(hash, cancellationToken);
    }

    /// <summary>A provisioner that succeeds at once with one output: the benchmark measures the platform and its store.</summary>
    private sealed class NothingProvisioner : IProvisioner
    {
        public string Name => "nothing";

        public Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Succeeded, EngineStatus = "UPDATE_COMPLETE", Outputs = new Dictionary<string, string> { ["VpcId"] = "vpc-" + request.StackName } });

        public Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default) => Task.FromResult(new StackPlan(request.StackName, true, []));

        public Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Deleted, EngineStatus = "DELETE_COMPLETE" });

        public Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default) => Task.FromResult<StackDescription?>(null);
    }
}
