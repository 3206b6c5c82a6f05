using Proton.Sdk.Platform;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using static Proton.Sdk.Tests.Platform.PlatformKit;

namespace Proton.Sdk.Tests.Platform;

/// <summary>
/// Issue #17: a process that stops between a record and its template-index shard leaves the index behind the record.
/// A store that fails the next index write stands for the crash; the next write to the resource, or
/// <see cref="ProtonPlatform.RepairIndexAsync"/>, repairs the index.
/// </summary>
public sealed class IndexRepairTests
{
    /// <summary>Passes everything to an in-memory store, except that, while armed, writes to the template index fail.</summary>
    private sealed class CrashingIndexStore : IProtonStore
    {
        public InMemoryProtonStore Inner { get; } = new();

        public bool Armed { get; set; }

        public ValueTask<StoredRecord?> GetAsync(string collection, string key, CancellationToken cancellationToken = default) => Inner.GetAsync(collection, key, cancellationToken);

        public ValueTask<IReadOnlyList<StoredRecord>> ListAsync(string collection, string? keyPrefix = null, CancellationToken cancellationToken = default) => Inner.ListAsync(collection, keyPrefix, cancellationToken);

        public ValueTask<StoredRecord> PutAsync(string collection, string key, ReadOnlyMemory<byte> document, string? expectedRevision, CancellationToken cancellationToken = default)
            => Armed && collection == PlatformRecords.TemplateIndex ? throw new IOException("crash before the index write") : Inner.PutAsync(collection, key, document, expectedRevision, cancellationToken);

        public ValueTask DeleteAsync(string collection, string key, string expectedRevision, CancellationToken cancellationToken = default)
            => Armed && collection == PlatformRecords.TemplateIndex ? throw new IOException("crash before the index write") : Inner.DeleteAsync(collection, key, expectedRevision, cancellationToken);

        public ValueTask<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => Inner.PutBlobAsync(content, cancellationToken);

        public ValueTask<ReadOnlyMemory<byte>?> GetBlobAsync(string hash, CancellationToken cancellationToken = default) => Inner.GetBlobAsync(hash, cancellationToken);
    }

    private static async Task<(ProtonPlatform Platform, CrashingIndexStore Store, PlatformRecords Records)> FleetAsync(params string[] environments)
    {
        var store = new CrashingIndexStore();
        var platform = new ProtonPlatform(store, new ScriptedProvisioner());
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        await RegisterAsync(platform, "env", Env(), "1.0.0");
        await RegisterAsync(platform, "env", Env(extraProperties: "size:\n  type: string\n  default: small"), "1.1.0");
        foreach (var name in environments)
        {
            Assert.Equal(DeploymentStatus.Succeeded, (await platform.CreateEnvironmentAsync(new() { Name = name, TemplateName = "env", TemplateVersion = "1.0.0" })).Status);
        }

        return (platform, store, new PlatformRecords(store));
    }

    private static async Task<List<(string Name, string Version)>> IndexedAsync(PlatformRecords records)
        => [.. (await records.ListIndexedResourcesAsync("env", CancellationToken.None)).Select(r => (r.Display, r.Entry.Version))];

    [Fact]
    public async Task RecordWrittenIndexNot_TheNextWriteToTheResource_RepairsItsEntry()
    {
        var (_, store, records) = await FleetAsync("a", "b");
        var current = (await records.ReadAsync<EnvironmentRecord>(PlatformRecords.Environments, "a", CancellationToken.None))!;

        // The crash: the record moves to 1.1.0, its shard is not written.
        store.Armed = true;
        await Assert.ThrowsAsync<IOException>(() => records.PutAsync(PlatformRecords.Environments, "a", current.Value with { TemplateVersion = "1.1.0" }, current.Revision, CancellationToken.None));
        store.Armed = false;
        Assert.Equal([("a", "1.0.0"), ("b", "1.0.0")], await IndexedAsync(records));

        // The next write changes nothing the index keeps (a description), and still repairs the entry.
        var after = (await records.ReadAsync<EnvironmentRecord>(PlatformRecords.Environments, "a", CancellationToken.None))!;
        await records.PutAsync(PlatformRecords.Environments, "a", after.Value with { Description = "touched" }, after.Revision, CancellationToken.None);

        Assert.Equal([("a", "1.1.0"), ("b", "1.0.0")], await IndexedAsync(records));
    }

    [Fact]
    public async Task RecordWrittenIndexNot_TheNextDeploymentRepairs_AndSummaryAndPlanSeeIt()
    {
        var (platform, store, records) = await FleetAsync("a", "b");
        var current = (await records.ReadAsync<EnvironmentRecord>(PlatformRecords.Environments, "a", CancellationToken.None))!;
        store.Armed = true;
        await Assert.ThrowsAsync<IOException>(() => records.PutAsync(PlatformRecords.Environments, "a", current.Value with { TemplateVersion = "1.1.0" }, current.Revision, CancellationToken.None));
        store.Armed = false;
        Assert.Equal(2, (await platform.PlanUpgradeAsync("env", "1.1.0")).Steps.Count);

        await platform.UpdateEnvironmentAsync("a", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion });

        Assert.Equal("b", Assert.Single((await platform.PlanUpgradeAsync("env", "1.1.0")).Steps).Target);
    }

    [Fact]
    public async Task RecordDeletedIndexNot_RepairIndexAsync_RemovesTheEntry_AndMendsEveryOther()
    {
        var (platform, store, records) = await FleetAsync("a", "b", "c");

        // Crash 1: "a" is deleted, its entry stays. Crash 2: "c" moved to 1.1.0 without its entry.
        store.Armed = true;
        await Assert.ThrowsAsync<IOException>(() => records.DeleteAsync(PlatformRecords.Environments, "a", CancellationToken.None));
        var c = (await records.ReadAsync<EnvironmentRecord>(PlatformRecords.Environments, "c", CancellationToken.None))!;
        await Assert.ThrowsAsync<IOException>(() => records.PutAsync(PlatformRecords.Environments, "c", c.Value with { TemplateVersion = "1.1.0" }, c.Revision, CancellationToken.None));
        store.Armed = false;
        Assert.Null(await platform.GetEnvironmentAsync("a"));
        Assert.Equal([("a", "1.0.0"), ("b", "1.0.0"), ("c", "1.0.0")], await IndexedAsync(records));
        Assert.Equal(3, (await platform.GetSummaryAsync()).Single().Total);

        await platform.RepairIndexAsync();

        Assert.Equal([("b", "1.0.0"), ("c", "1.1.0")], await IndexedAsync(records));
        Assert.Equal((2, 1), ((await platform.GetSummaryAsync()).Single().Total, (await platform.GetSummaryAsync()).Single().UpToDate));

        // Idempotent: a second pass writes nothing.
        var before = (await store.Inner.ListAsync(PlatformRecords.TemplateIndex)).Select(r => r.Revision).ToList();
        await platform.RepairIndexAsync();
        Assert.Equal(before, (await store.Inner.ListAsync(PlatformRecords.TemplateIndex)).Select(r => r.Revision).ToList());
    }
}
