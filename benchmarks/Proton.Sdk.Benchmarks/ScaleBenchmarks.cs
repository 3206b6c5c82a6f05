using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Storage;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Benchmarks;

/// <summary>
/// Issue #17: operations on a fleet of N service instances (1,000 and 10,000: N/2 environments, each with one service of
/// two instances and a pipeline) on the in-memory and the file store. The fleet is seeded once per N and per build of
/// Proton.Sdk and saved as a folder store under the temp folder (<c>proton-bench-fleet-{N}-{build}</c>): one environment
/// and its service are created through the platform, then their records are copied N/2 times under other names through
/// the public store API and the template index is rebuilt by <see cref="ProtonPlatform.RepairIndexAsync"/> (creating
/// 10,000 instances through the platform, one deployment at a time, would take most of an hour on a 2-core VM). Each file
/// case works on a hard-linked copy of that folder (records are replaced by rename, so the saved fleet is never changed),
/// each memory case on a loaded copy. Store reads per operation (a get or a listed record, counted by
/// <see cref="CountingProtonStore"/>) are printed by the set-up as <c>// reads</c> lines. The <c>Cold</c> cases run on a
/// new <see cref="ProtonPlatform"/> each time (nothing parsed is kept from an earlier call, as in a new CLI process).
/// </summary>
[MemoryDiagnoser]
public class ScaleBenchmarks
{
    private ProtonPlatform _platform = null!;
    private CountingProtonStore _store = null!;
    private string? _folder;
    private int _created;

    /// <summary>Service instances in the fleet (half as many environments, services and pipelines).</summary>
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
            LinkFolder(fleet, _folder);
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
            ("CreateEnvironment", CreateEnvironment), ("UpdateEnvironment", UpdateEnvironment), ("SummaryCold", SummaryCold), ("Summary", Summary),
            ("PlanUpgradeCold", PlanUpgradeCold), ("PlanUpgrade", PlanUpgrade), ("ListDeploymentsOfOneService", ListDeploymentsOfOneService),
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

    /// <summary>An environment with two instances (its dependents are found from its own instance index).</summary>
    /// <returns>A task.</returns>
    [Benchmark]
    public async Task UpdateEnvironment()
    {
        var d = await _platform.UpdateEnvironmentAsync("env-00003", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion });
        Check(d!.Status == DeploymentStatus.Succeeded, d.StatusMessage);
    }

    [Benchmark]
    public async Task Summary() => CheckSummary(await _platform.GetSummaryAsync());

    [Benchmark]
    public async Task SummaryCold() => CheckSummary(await NewPlatform(_store).GetSummaryAsync());

    /// <summary>Every instance and pipeline, 1.0.0 to 1.1.0 of the service template.</summary>
    /// <returns>A task.</returns>
    [Benchmark]
    public async Task PlanUpgrade() => CheckPlan(await _platform.PlanUpgradeAsync("svc"));

    [Benchmark]
    public async Task PlanUpgradeCold() => CheckPlan(await NewPlatform(_store).PlanUpgradeAsync("svc"));

    /// <summary>The baseline: one service's deployments (its two instances and its pipeline), a prefix read of what it returns.</summary>
    /// <returns>A task.</returns>
    [Benchmark(Baseline = true)]
    public async Task ListDeploymentsOfOneService() => Check((await _platform.ListDeploymentsAsync(serviceName: "svc-00007")).Count == 3, "listing");

    private void CheckSummary(IReadOnlyList<SummaryCounts> summary)
        => Check(summary.Single(s => s.ResourceType == DeploymentTargetType.ServiceInstance).Total == N && summary.Single(s => s.ResourceType == DeploymentTargetType.ServicePipeline).BehindMinor == N / 2, "summary");

    private void CheckPlan(UpgradePlan plan) => Check(plan.Steps.Count == N + (N / 2) && plan.Steps.All(s => s.BlockedReason is null), "plan");

    private static void Check(bool ok, string? what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"benchmark operation failed: {what}");
        }
    }

    private static ProtonPlatform NewPlatform(IProtonStore store)
        => new(store, new NothingProvisioner(), new ProtonPlatformOptions { DefaultAccountId = "123456789012" });

    private static InMemoryBundleSource EnvBundle(string extra) => new(new Dictionary<string, string>
    {
        ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: \"EnvInput\"\n  types:\n    EnvInput:\n      type: object\n      properties:\n        cidr:\n          type: string\n          default: \"10.0.0.0/16\"\n" + extra,
        ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["infrastructure/cloudformation.yaml"] = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: '{{ environment.inputs.cidr }}'\nOutputs:\n  VpcId:\n    Value: !Ref Vpc\n",
    });

    private static InMemoryBundleSource ServiceBundle(string extra) => new(new Dictionary<string, string>
    {
        ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: \"SvcInput\"\n  pipeline_input_type: \"PipeInput\"\n  types:\n    SvcInput:\n      type: object\n      properties:\n        port:\n          type: number\n          default: 80\n" + extra
            + "    PipeInput:\n      type: object\n      properties:\n        command:\n          type: string\n          default: \"echo ok\"\n",
        ["instance_infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["instance_infrastructure/cloudformation.yaml"] = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: '{{ service.name }}-{{ service_instance.name }}-{{ service_instance.inputs.port }}'\n      Tags:\n        - Key: vpc\n          Value: '{{ environment.outputs.VpcId }}'\n",
        ["pipeline_infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["pipeline_infrastructure/cloudformation.yaml"] = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{ service.name }}-pipeline'\n",
    });

    private static async Task RegisterAsync(ProtonPlatform platform, string template, InMemoryBundleSource bundle, string version, string? compatible = null)
    {
        var options = new RegisterVersionOptions { Version = version, CompatibleEnvironments = compatible is null ? null : [CompatibleEnvironment.TryParse(compatible)!] };
        await platform.Registry.PublishAsync(template, (await platform.Registry.RegisterVersionAsync(template, bundle, options)).Version.Version);
    }

    /// <summary>
    /// The saved fleet of <paramref name="n"/> instances (n/2 environments on 1.0.0 of "env", each with a service of two
    /// instances and a pipeline on 1.0.0 of "svc"; 1.1.0 of both published), seeded when missing.
    /// </summary>
    private static async Task<string> FleetFolderAsync(int n)
    {
        var build = typeof(ProtonPlatform).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];
        var folder = Path.Combine(Path.GetTempPath(), $"proton-bench-fleet-{n}-{build}");
        if (File.Exists(Path.Combine(folder, "complete")))
        {
            return folder;
        }

        var clock = Stopwatch.StartNew();
        var seed = new RecordingStore();
        var platform = NewPlatform(seed);
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        await platform.Registry.CreateTemplateAsync("svc", TemplateKind.Service);
        await RegisterAsync(platform, "env", EnvBundle(string.Empty), "1.0.0");
        await RegisterAsync(platform, "svc", ServiceBundle(string.Empty), "1.0.0", "env:1");
        const string Env = "env-00000", Svc = "svc-00000";
        var created = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = Env, TemplateName = "env" });
        Check(created.Status == DeploymentStatus.Succeeded, created.StatusMessage);
        var service = await platform.CreateServiceAsync(new CreateServiceRequest
        {
            Name = Svc,
            TemplateName = "svc",
            Spec = new ServiceSpec { Pipeline = new Dictionary<string, object?>(), Instances = [new ServiceInstanceSpec("a", Env, new Dictionary<string, object?>()), new ServiceInstanceSpec("b", Env, new Dictionary<string, object?>())] },
        });
        Check(service.Succeeded, string.Join("; ", service.Deployments.Select(d => d.StatusMessage)));

        // The seed's records that name the environment or the service are written again for every other pair of names
        // (keys and documents alike); the rest (templates, versions, the layout) once. The index is rebuilt afterwards.
        var fleet = new RecordingStore();
        var perPair = new List<(string Collection, string Key, string Document)>();
        foreach (var collection in seed.Collections.Keys)
        {
            foreach (var r in await seed.ListAsync(collection))
            {
                var text = Encoding.UTF8.GetString(r.Document.Span);
                if (collection == "template-index")
                {
                    continue;
                }

                if (r.Key.Contains(Env, StringComparison.Ordinal) || r.Key.Contains(Svc, StringComparison.Ordinal) || text.Contains(Env, StringComparison.Ordinal) || text.Contains(Svc, StringComparison.Ordinal))
                {
                    perPair.Add((collection, r.Key, text));
                }
                else
                {
                    await fleet.PutAsync(collection, r.Key, r.Document, null);
                }
            }
        }

        Check(perPair.Count >= 10, $"the seed has {perPair.Count} records per environment");
        for (var i = 0; i < n / 2; i++)
        {
            string Rename(string text) => text.Replace(Env, $"env-{i:D5}", StringComparison.Ordinal).Replace(Svc, $"svc-{i:D5}", StringComparison.Ordinal);
            foreach (var (collection, key, document) in perPair)
            {
                await fleet.PutAsync(collection, Rename(key), Encoding.UTF8.GetBytes(Rename(document)), null);
            }
        }

        foreach (var hash in seed.Blobs.Keys)
        {
            await fleet.PutBlobAsync((await seed.GetBlobAsync(hash))!.Value);
        }

        var big = NewPlatform(fleet);
        await big.RepairIndexAsync();
        await RegisterAsync(big, "env", EnvBundle("        size:\n          type: string\n          default: small\n"), "1.1.0");
        await RegisterAsync(big, "svc", ServiceBundle("        memory:\n          type: number\n          default: 512\n"), "1.1.0", "env:1");

        // Saved in the folder store's own format: records/{collection}/{key}.json and blobs/{hh}/{hash}.
        var building = folder + ".building-" + Environment.ProcessId;
        foreach (var collection in fleet.Collections.Keys)
        {
            var records = await fleet.ListAsync(collection);
            Directory.CreateDirectory(Path.Combine(building, "records", collection));
            foreach (var r in records)
            {
                var json = Encoding.UTF8.GetBytes("{\"revision\":\"1\",\"document\":").Concat(r.Document.ToArray()).Concat("}"u8.ToArray()).ToArray();
                await File.WriteAllBytesAsync(Path.Combine(building, "records", collection, r.Key + ".json"), json);
            }
        }

        foreach (var hash in fleet.Blobs.Keys)
        {
            Directory.CreateDirectory(Path.Combine(building, "blobs", hash[..2]));
            await File.WriteAllBytesAsync(Path.Combine(building, "blobs", hash[..2], hash), (await fleet.GetBlobAsync(hash))!.Value.ToArray());
        }

        await File.WriteAllTextAsync(Path.Combine(building, "complete"), $"{n} instances seeded in {clock.Elapsed.TotalSeconds:F0} s");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.Move(building, folder);
        Console.WriteLine($"// fleet of {n} instances seeded and saved in {clock.Elapsed.TotalSeconds:F0} s: {folder}");
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

    /// <summary>A copy of the folder whose files are hard links (<c>cp -al</c>): the store replaces a record by renaming a new file over it, so the saved fleet never changes.</summary>
    private static void LinkFolder(string from, string to)
    {
        using var cp = Process.Start(new ProcessStartInfo("cp", ["-al", from, to]) { UseShellExecute = false })!;
        cp.WaitForExit();
        Check(cp.ExitCode == 0, $"cp -al {from} {to}");
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
