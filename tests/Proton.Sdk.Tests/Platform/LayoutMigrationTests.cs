using System.Text.Json;
using Proton.Sdk.Platform;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using static Proton.Sdk.Tests.Platform.PlatformKit;

namespace Proton.Sdk.Tests.Platform;

/// <summary>
/// Issue #17: a store written in the layout before version 2 (deployments under UUID keys, no indexes, no layout marker)
/// is migrated when a platform first uses it, idempotently, and safely when the migration is interrupted at any write.
/// </summary>
public sealed class LayoutMigrationTests
{
    private const string EnvCreate = "0b6f9a52-8f8e-4a43-9d7a-1c7d3c2b0001";
    private const string InstanceA = "0b6f9a52-8f8e-4a43-9d7a-1c7d3c2b0002";
    private const string InstanceB = "0b6f9a52-8f8e-4a43-9d7a-1c7d3c2b0003";
    private const string Pipeline = "0b6f9a52-8f8e-4a43-9d7a-1c7d3c2b0004";
    private const string EnvUpdate = "0b6f9a52-8f8e-4a43-9d7a-1c7d3c2b0005";

    /// <summary>Throws on the n-th write or delete, as a process killed in the middle of the migration would stop.</summary>
    private sealed class CrashingStore(IProtonStore inner, int crashAt) : IProtonStore
    {
        private int _writes;

        private void Step()
        {
            if (Interlocked.Increment(ref _writes) == crashAt)
            {
                throw new IOException("killed");
            }
        }

        public ValueTask<StoredRecord?> GetAsync(string collection, string key, CancellationToken cancellationToken = default) => inner.GetAsync(collection, key, cancellationToken);

        public ValueTask<IReadOnlyList<StoredRecord>> ListAsync(string collection, string? keyPrefix = null, CancellationToken cancellationToken = default) => inner.ListAsync(collection, keyPrefix, cancellationToken);

        public ValueTask<StoredRecord> PutAsync(string collection, string key, ReadOnlyMemory<byte> document, string? expectedRevision, CancellationToken cancellationToken = default)
        {
            Step();
            return inner.PutAsync(collection, key, document, expectedRevision, cancellationToken);
        }

        public ValueTask DeleteAsync(string collection, string key, string expectedRevision, CancellationToken cancellationToken = default)
        {
            Step();
            return inner.DeleteAsync(collection, key, expectedRevision, cancellationToken);
        }

        public ValueTask<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.PutBlobAsync(content, cancellationToken);

        public ValueTask<ReadOnlyMemory<byte>?> GetBlobAsync(string hash, CancellationToken cancellationToken = default) => inner.GetBlobAsync(hash, cancellationToken);
    }

    /// <summary>
    /// A store as the code before layout 2 wrote it: registry records, then environment dev with service api (instances a
    /// and b, a pipeline), their deployments under UUID keys, and an environment update left in progress by a dead process.
    /// </summary>
    private static async Task<InMemoryProtonStore> LegacyStoreAsync()
    {
        var store = new InMemoryProtonStore();
        var registrar = new ProtonPlatform(store, new ScriptedProvisioner());
        await registrar.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        await registrar.Registry.CreateTemplateAsync("svc", TemplateKind.Service);
        await RegisterAsync(registrar, "env", Env(), "1.0.0");
        await RegisterAsync(registrar, "svc", Service(), "1.0.0", "env:1");
        Assert.Null(await store.GetAsync(PlatformRecords.Meta, PlatformRecords.LayoutKey));

        var t0 = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
        async Task Put(string collection, string key, object value) => await store.PutAsync(collection, key, JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), ProtonPlatform.Json), null);
        DeploymentRecord Deployment(string id, DeploymentTargetType type, string target, int minute, string? env, string? svc = null, string? instance = null) => new()
        {
            Id = id, TargetType = type, Target = target, EnvironmentName = env, ServiceName = svc, InstanceName = instance,
            Status = DeploymentStatus.Succeeded, TargetState = new DeploymentState(type == DeploymentTargetType.Environment ? "env" : "svc", "1.0.0", new Dictionary<string, object?>()),
            CreatedAt = t0.AddMinutes(minute), LastModifiedAt = t0.AddMinutes(minute), CompletedAt = t0.AddMinutes(minute), Provisioner = "scripted",
        };

        await Put("deployments", EnvCreate, Deployment(EnvCreate, DeploymentTargetType.Environment, "dev", 0, "dev"));
        await Put("deployments", InstanceA, Deployment(InstanceA, DeploymentTargetType.ServiceInstance, "api/a", 1, "dev", "api", "a"));
        await Put("deployments", InstanceB, Deployment(InstanceB, DeploymentTargetType.ServiceInstance, "api/b", 2, "dev", "api", "b"));
        await Put("deployments", Pipeline, Deployment(Pipeline, DeploymentTargetType.ServicePipeline, "api", 3, null, "api"));
        await Put("deployments", EnvUpdate, Deployment(EnvUpdate, DeploymentTargetType.Environment, "dev", 4, "dev") with { Status = DeploymentStatus.InProgress, CompletedAt = null, Owner = "gone/1/x", LeaseExpiresAt = t0.AddMinutes(5), StackName = "proton-dev" });
        await Put("environments", "dev", new EnvironmentRecord
        {
            Name = "dev", TemplateName = "env", TemplateVersion = "1.0.0", StackName = "proton-dev", DeploymentStatus = DeploymentStatus.InProgress,
            LastAttemptedDeploymentId = EnvUpdate, LastSucceededDeploymentId = EnvCreate, OutputsDeploymentId = EnvCreate, CreatedAt = t0,
        });
        foreach (var (name, id) in new[] { ("a", InstanceA), ("b", InstanceB) })
        {
            await Put("instances", "api@" + name, new ServiceInstanceRecord
            {
                ServiceName = "api", Name = name, EnvironmentName = "dev", TemplateName = "svc", TemplateVersion = "1.0.0", DeploymentStatus = DeploymentStatus.Succeeded,
                LastAttemptedDeploymentId = id, LastSucceededDeploymentId = id, EnvironmentDeploymentId = EnvCreate, CreatedAt = t0,
            });
        }

        await Put("services", "api", new ServiceRecord
        {
            Name = "api", TemplateName = "svc", Status = ServiceStatus.Active, CreatedAt = t0,
            Pipeline = new PipelineRecord { TemplateName = "svc", TemplateVersion = "1.0.0", DeploymentStatus = DeploymentStatus.Succeeded, LastAttemptedDeploymentId = Pipeline, LastSucceededDeploymentId = Pipeline },
        });
        return store;
    }

    private static async Task AssertMigratedAsync(InMemoryProtonStore store)
    {
        var platform = new ProtonPlatform(store, new ScriptedProvisioner());

        Assert.Equal(InstanceA, (await platform.GetDeploymentAsync(InstanceA))!.Id);
        Assert.Equal("api/a", (await platform.GetDeploymentAsync(InstanceA))!.Target);
        Assert.Equal([InstanceA, InstanceB, Pipeline], (await platform.ListDeploymentsAsync(serviceName: "api")).Select(d => d.Id));
        Assert.Equal([EnvCreate, InstanceA, InstanceB, EnvUpdate], (await platform.ListDeploymentsAsync("dev")).Select(d => d.Id));
        Assert.Equal([EnvCreate, InstanceA, InstanceB, Pipeline, EnvUpdate], (await platform.ListDeploymentsAsync()).Select(d => d.Id));
        Assert.All(await store.ListAsync("deployments"), r => Assert.True(PlatformRecords.IsKeyedId(r.Key), r.Key));
        var inUse = await Assert.ThrowsAsync<PlatformException>(() => platform.DeleteEnvironmentAsync("dev"));
        Assert.Contains("api/a, api/b", inUse.Message, StringComparison.Ordinal);
        Assert.Equal([(DeploymentTargetType.Environment, 1), (DeploymentTargetType.ServiceInstance, 2), (DeploymentTargetType.ServicePipeline, 1)], (await platform.GetSummaryAsync()).Select(s => (s.ResourceType, s.UpToDate)));
        await RegisterAsync(platform, "env", Env(extraResource: "  Extra:\n    Type: AWS::SNS::Topic\n"), "1.1.0");
        Assert.Equal(("dev", "deployment " + EnvUpdate + " is running"), (await platform.PlanUpgradeAsync("env")).Steps.Select(s => (s.Target, s.BlockedReason)).Single());
        await ScaleTests.AssertIndexMatchesRecordsAsync(store);

        // The update left running by a dead process is found through the running index.
        Assert.Equal([EnvUpdate], (await platform.ReconcileAsync()).Select(d => d.Id));
        Assert.Equal(DeploymentStatus.Failed, (await platform.GetDeploymentAsync(EnvUpdate))!.Status);
        Assert.Empty(await store.ListAsync(PlatformRecords.RunningDeployments));
    }

    [Fact]
    public async Task AStoreInTheOldLayout_IsMigratedOnOpen()
    {
        var store = await LegacyStoreAsync();

        await AssertMigratedAsync(store);

        var marker = await store.GetAsync(PlatformRecords.Meta, PlatformRecords.LayoutKey);
        Assert.Equal(2, JsonDocument.Parse(marker!.Document).RootElement.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Migration_RunTwice_WritesTheSameRecords()
    {
        var store = await LegacyStoreAsync();
        var platform = new ProtonPlatform(store, new ScriptedProvisioner());
        await platform.ListEnvironmentsAsync();
        var first = await SnapshotAsync(store);
        var marker = (await store.GetAsync(PlatformRecords.Meta, PlatformRecords.LayoutKey))!;
        await store.DeleteAsync(PlatformRecords.Meta, PlatformRecords.LayoutKey, marker.Revision);

        await new ProtonPlatform(store, new ScriptedProvisioner()).ListEnvironmentsAsync();

        Assert.Equal(first, await SnapshotAsync(store));
    }

    [Fact]
    public async Task Migration_InterruptedAtAnyWrite_CompletesOnTheNextOpen()
    {
        var probe = new Storage.CountingProtonStore(await LegacyStoreAsync());
        await new ProtonPlatform(probe, new ScriptedProvisioner()).ListEnvironmentsAsync();
        var writes = (int)(probe.Puts + probe.Deletes);
        Assert.InRange(writes, 10, 200);

        for (var crashAt = 1; crashAt <= writes; crashAt++)
        {
            var store = await LegacyStoreAsync();
            var crashing = new ProtonPlatform(new CrashingStore(store, crashAt), new ScriptedProvisioner());
            await Assert.ThrowsAsync<IOException>(() => crashing.ListEnvironmentsAsync());
            Assert.Null(await store.GetAsync(PlatformRecords.Meta, PlatformRecords.LayoutKey));

            await AssertMigratedAsync(store);
        }
    }

    private static async Task<List<string>> SnapshotAsync(IProtonStore store)
    {
        var all = new List<string>();
        foreach (var collection in new[] { "environments", "services", "instances", "deployments", PlatformRecords.EnvironmentInstances, PlatformRecords.EnvironmentDeployments, PlatformRecords.RunningDeployments, PlatformRecords.DeploymentIds, PlatformRecords.TemplateIndex })
        {
            foreach (var r in await store.ListAsync(collection))
            {
                all.Add($"{collection}/{r.Key} {System.Text.Encoding.UTF8.GetString(r.Document.Span)}");
            }
        }

        return all;
    }
}
