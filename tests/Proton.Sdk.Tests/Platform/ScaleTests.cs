using System.Text.Json;
using Proton.Sdk.Platform;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Storage;
using Proton.Sdk.Versioning;
using static Proton.Sdk.Tests.Platform.PlatformKit;

namespace Proton.Sdk.Tests.Platform;

/// <summary>
/// Issue #17: what an operation reads from the store does not grow with the fleet. Fleets of N environments, each with
/// one service of two instances and a pipeline, over a counting store; the same operation is counted at N=10 and N=200.
/// </summary>
public sealed class ScaleTests
{
    private static async Task<(ProtonPlatform Platform, CountingProtonStore Store)> FleetAsync(int environments, IProtonStore? inner = null, ProtonPlatformOptions? options = null)
    {
        var store = new CountingProtonStore(inner ?? new InMemoryProtonStore());
        var platform = new ProtonPlatform(store, new ScriptedProvisioner(), options);
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        await platform.Registry.CreateTemplateAsync("svc", TemplateKind.Service);
        await RegisterAsync(platform, "env", Env(), "1.0.0");
        await RegisterAsync(platform, "svc", Service(), "1.0.0", "env:1");
        for (var i = 0; i < environments; i++)
        {
            var env = $"env-{i:D4}";
            Assert.Equal(DeploymentStatus.Succeeded, (await platform.CreateEnvironmentAsync(new() { Name = env, TemplateName = "env" })).Status);
            var svc = await platform.CreateServiceAsync(new() { Name = $"svc-{i:D4}", TemplateName = "svc", Spec = Spec(("a", env), ("b", env)) });
            Assert.True(svc.Succeeded);
        }

        return (platform, store);
    }

    private static async Task<long> ReadsOfAsync(CountingProtonStore store, Func<Task> operation)
    {
        store.Reset();
        await operation();
        return store.Reads;
    }

    [Fact]
    public async Task CreatingAndUpdatingOneEnvironment_ReadsTheSameAtTenAndTwoHundred()
    {
        var counts = new List<(long Create, long Update, long Redeploy)>();
        foreach (var n in new[] { 10, 200 })
        {
            var (platform, store) = await FleetAsync(n);
            await RegisterAsync(platform, "env", Env(extraResource: "  Extra:\n    Type: AWS::SNS::Topic\n"), "1.1.0");
            var create = await ReadsOfAsync(store, () => platform.CreateEnvironmentAsync(new() { Name = "fresh", TemplateName = "env" }));

            // An environment with two instances: its outputs change, so both instances are reported as dependents.
            DeploymentRecord? updated = null;
            var update = await ReadsOfAsync(store, async () => updated = await platform.UpdateEnvironmentAsync("env-0003", new UpdateRequest { UpdateType = DeploymentUpdateType.MinorVersion }));
            Assert.Equal(["svc-0003/a", "svc-0003/b"], updated!.DependentsToRedeploy.Order(StringComparer.Ordinal));
            var redeploy = await ReadsOfAsync(store, async () => Assert.Equal(2, (await platform.GetInstancesNeedingRedeployAsync("env-0003")).Count));
            counts.Add((create, update, redeploy));
        }

        Assert.Equal(counts[0], counts[1]);
        Assert.InRange(counts[1].Update, 1, 60);
    }

    [Fact]
    public async Task SummaryPlanAndUsage_ReadTheSameAtTenAndTwoHundred()
    {
        var counts = new List<(long Summary, long Plan, long Usage, long Reconcile)>();
        foreach (var n in new[] { 10, 200, 400 })
        {
            var (platform, store) = await FleetAsync(n);
            await RegisterAsync(platform, "svc", Service(extraProperties: "memory:\n  type: number\n  default: 512"), "1.1.0", "env:1");
            IReadOnlyList<SummaryCounts> summary = [];
            var summaryReads = await ReadsOfAsync(store, async () => summary = await platform.GetSummaryAsync());
            Assert.Equal([(DeploymentTargetType.Environment, n, 0), (DeploymentTargetType.ServiceInstance, 0, 2 * n), (DeploymentTargetType.ServicePipeline, 0, n)], summary.Select(s => (s.ResourceType, s.UpToDate, s.BehindMinor)));
            UpgradePlan? plan = null;
            var planReads = await ReadsOfAsync(store, async () => plan = await platform.PlanUpgradeAsync("svc"));
            Assert.Equal(3 * n, plan!.Steps.Count);
            Assert.All(plan.Steps, s => Assert.Null(s.BlockedReason));
            var usage = await ReadsOfAsync(store, async () => Assert.Equal(n, (await ((ITemplateUsage)platform).GetUsersAsync("env", SemanticVersion.Parse("1.0.0"))).Count));
            var reconcile = await ReadsOfAsync(store, async () => Assert.Empty(await platform.ReconcileAsync()));
            counts.Add((summaryReads, planReads, usage, reconcile - n));
        }

        // The index has 16 shards per template: a small fleet does not fill them all, so N=10 reads fewer; from there on the
        // reads are flat. Reconcile still lists the services (service operations have no index): n of its reads.
        Assert.Equal(counts[1], counts[2]);
        Assert.True(counts[0].Summary <= counts[1].Summary && counts[0].Plan <= counts[1].Plan && counts[0].Usage <= counts[1].Usage, $"{counts[0]} {counts[1]}");
        Assert.Equal(0, counts[0].Reconcile);
        Assert.InRange(counts[2].Summary, 1, 2 * PlatformRecords.IndexShards + 10);
    }

    [Fact]
    public async Task FilteredDeploymentListings_ReadOnlyWhatTheyReturn()
    {
        var (platform, store) = await FleetAsync(50);
        foreach (var (env, svc, instance) in new (string?, string?, string?)[] { (null, "svc-0007", null), (null, "svc-0007", "b"), ("env-0007", null, null), ("env-0007", "svc-0007", null) })
        {
            IReadOnlyList<DeploymentRecord> found = [];
            var reads = await ReadsOfAsync(store, async () => found = await platform.ListDeploymentsAsync(env, svc, instance));
            Assert.NotEmpty(found);
            Assert.All(found, d => Assert.True((env is null || d.EnvironmentName == env) && (svc is null || d.ServiceName == svc) && (instance is null || d.InstanceName == instance)));

            // The environment's instance deployments are reached through one pointer each.
            Assert.InRange(reads, found.Count, 2 * found.Count);
        }

        var id = (await platform.ListDeploymentsAsync(serviceName: "svc-0001")).First().Id;
        Assert.Equal(1, await ReadsOfAsync(store, async () => Assert.Equal(id, (await platform.GetDeploymentAsync(id))!.Id)));
    }

    [Fact]
    public async Task DeploymentIds_NameTheirTargetAndSortByTime()
    {
        var (platform, _) = await FleetAsync(1);
        var env = await platform.ListDeploymentsAsync("env-0000");
        var svc = await platform.ListDeploymentsAsync(serviceName: "svc-0000");

        Assert.StartsWith("e.env-0000.", env[0].Id, StringComparison.Ordinal);
        Assert.Equal(["s.svc-0000.a.", "s.svc-0000.b.", "s.svc-0000._."], svc.Select(d => d.Id[..(d.Id.LastIndexOf('.') + 1)]));
        Assert.Equal(svc.Select(d => d.Id[(d.Id.LastIndexOf('.') + 1)..]).Order(StringComparer.Ordinal), svc.Select(d => d.Id[(d.Id.LastIndexOf('.') + 1)..]));
    }

    [Fact]
    public async Task HistoryLimit_KeepsTheLastDeploymentsOfEachTarget()
    {
        var (platform, _) = await FleetAsync(1, options: new ProtonPlatformOptions { DeploymentHistoryLimit = 2 });
        var first = (await platform.ListDeploymentsAsync("env-0000", null, null)).Single(d => d.TargetType == DeploymentTargetType.Environment);
        var updates = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            updates.Add((await platform.UpdateEnvironmentAsync("env-0000", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion }))!.Id);
        }

        var left = await platform.ListDeploymentsAsync("env-0000");
        Assert.Equal(updates[^2..], left.Where(d => d.TargetType == DeploymentTargetType.Environment).Select(d => d.Id));
        Assert.Equal(2, left.Count(d => d.TargetType == DeploymentTargetType.ServiceInstance));
        Assert.Null(await platform.GetDeploymentAsync(first.Id));
        Assert.Null(await platform.GetDeploymentAsync(updates[0]));
    }

    [Fact]
    public async Task DefaultHistory_KeepsEverything()
    {
        var (platform, _) = await FleetAsync(1);
        for (var i = 0; i < 3; i++)
        {
            await platform.UpdateEnvironmentAsync("env-0000", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion });
        }

        Assert.Equal(4, (await platform.ListDeploymentsAsync("env-0000")).Count(d => d.TargetType == DeploymentTargetType.Environment));
    }

    [Fact]
    public async Task TemplateIndex_StaysExactUnderConcurrentUpgrades()
    {
        var (platform, store) = await FleetAsync(30);
        await RegisterAsync(platform, "svc", Service(extraProperties: "memory:\n  type: number\n  default: 512"), "1.1.0", "env:1");
        var plan = await platform.PlanUpgradeAsync("svc");

        var result = await platform.UpgradeAsync(plan, new UpgradeOptions { MaxConcurrency = 16 });

        Assert.All(result.Steps, s => Assert.Equal("succeeded", s.Outcome));
        await AssertIndexMatchesRecordsAsync(store);
        var summary = await platform.GetSummaryAsync();
        Assert.Equal((60, 0), summary.Where(s => s.ResourceType == DeploymentTargetType.ServiceInstance).Select(s => (s.UpToDate, s.BehindMinor)).Single());
        Assert.Empty((await platform.PlanUpgradeAsync("svc")).Steps);
    }

    /// <summary>Every resource's index entry is what its record says, and the index has nothing else.</summary>
    internal static async Task AssertIndexMatchesRecordsAsync(IProtonStore store)
    {
        var records = new PlatformRecords(store);
        var expected = new List<string>();
        foreach (var (type, display, r) in await records.ListAllResourcesAsync(default))
        {
            expected.Add($"{r.TemplateName} {display} {TemplateIndexEntry.Of(type, r)}");
        }

        var indexed = (await records.ListIndexedResourcesAsync(null, default)).Select(r => $"{r.Template} {r.Display} {r.Entry}").ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), indexed.Order(StringComparer.Ordinal));

        // Each shard's counts (what the summary reads) are its entries' counts.
        foreach (var raw in await store.ListAsync(PlatformRecords.TemplateIndex))
        {
            var shard = PlatformRecords.Deserialize<TemplateIndexShard>(raw);
            Assert.NotNull(shard.Counts);
            Assert.Equal(TemplateIndexShard.CountsOf(shard.Entries.Values), shard.Counts);
        }
    }

    [Fact]
    public async Task SummaryAndPlan_SeeWhatAnotherPlatformWroteToTheSameStore()
    {
        // The platform keeps the shards it parsed; a shard another process rewrote is parsed again (its bytes differ).
        var (platform, store) = await FleetAsync(20);
        await RegisterAsync(platform, "svc", Service(extraProperties: "memory:\n  type: number\n  default: 512"), "1.1.0", "env:1");
        Assert.Equal((0, 40), Instances(await platform.GetSummaryAsync()));
        Assert.Equal(60, (await platform.PlanUpgradeAsync("svc")).Steps.Count);

        var other = new ProtonPlatform(store.Inner, new ScriptedProvisioner());
        Assert.Equal(DeploymentStatus.Succeeded, (await other.UpdateServiceInstanceAsync("svc-0003", "a", new UpdateRequest { UpdateType = DeploymentUpdateType.MinorVersion }))!.Status);
        Assert.Equal(DeploymentStatus.Succeeded, (await other.UpdateServiceInstanceAsync("svc-0011", "b", new UpdateRequest { UpdateType = DeploymentUpdateType.MinorVersion }))!.Status);

        Assert.Equal((2, 38), Instances(await platform.GetSummaryAsync()));
        var plan = await platform.PlanUpgradeAsync("svc");
        Assert.Equal(58, plan.Steps.Count);
        Assert.DoesNotContain(plan.Steps, s => s.Target is "svc-0003/a" or "svc-0011/b");
        await AssertIndexMatchesRecordsAsync(store);

        static (int UpToDate, int BehindMinor) Instances(IReadOnlyList<SummaryCounts> summary)
            => summary.Where(s => s.ResourceType == DeploymentTargetType.ServiceInstance).Select(s => (s.UpToDate, s.BehindMinor)).Single();
    }

    [Fact]
    public async Task ShardsInTheFirstFormat_AreReadAndCountedFromTheirEntries_AndRepairRewritesThem()
    {
        var (platform, store) = await FleetAsync(12);
        await RegisterAsync(platform, "env", Env(extraResource: "  Extra:\n    Type: AWS::SNS::Topic\n"), "1.1.0");
        Assert.Equal(DeploymentStatus.Succeeded, (await platform.UpdateEnvironmentAsync("env-0004", new UpdateRequest { UpdateType = DeploymentUpdateType.MinorVersion }))!.Status);
        var expected = await platform.GetSummaryAsync();
        foreach (var raw in await store.ListAsync(PlatformRecords.TemplateIndex))
        {
            // The first format of layout 2: entries as objects, no counts.
            var shard = PlatformRecords.Deserialize<TemplateIndexShard>(raw);
            var entries = shard.Entries.ToDictionary(kv => kv.Key, kv => new
            {
                type = kv.Value.Type.ToString(), version = kv.Value.Version, status = kv.Value.Status.ToString(), running = kv.Value.Running,
                environment = kv.Value.Environment, deployed = kv.Value.Deployed, customerManaged = kv.Value.CustomerManaged, masked = kv.Value.Masked,
            });
            var old = JsonSerializer.SerializeToUtf8Bytes(new { template = shard.Template, entries }, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
            Assert.Contains("\"customerManaged\":false", System.Text.Encoding.UTF8.GetString(old), StringComparison.Ordinal);
            await store.PutAsync(PlatformRecords.TemplateIndex, raw.Key, old, raw.Revision);
        }

        var fresh = new ProtonPlatform(store.Inner, new ScriptedProvisioner());
        Assert.Equal(expected, await fresh.GetSummaryAsync());
        Assert.Equal(12, (await fresh.PlanUpgradeAsync("env")).Steps.Count(s => s.BlockedReason is null) + 1);
        Assert.Equal((1, 11), expected.Where(s => s.ResourceType == DeploymentTargetType.Environment).Select(s => (s.UpToDate, s.BehindMinor)).Single());

        await fresh.RepairIndexAsync();
        await AssertIndexMatchesRecordsAsync(store);
        Assert.Equal(expected, await fresh.GetSummaryAsync());
    }
}
