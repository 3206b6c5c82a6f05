using System.Text.Json;
using System.Text.Json.Serialization;
using Proton.Sdk.Internal;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Platform;

/// <summary>
/// The platform's typed record repository over an <see cref="IProtonStore"/>: environments, services (with their
/// pipeline), instances and deployments as JSON documents, optimistic read-modify-write with retries, and the
/// deployable target of a deployment. Nothing else in the platform touches the store.
/// </summary>
/// <remarks>
/// The layout (version 2) is keyed for the questions the platform asks, so none of them scans the fleet:
/// <list type="bullet">
/// <item><c>environments/{env}</c>; <c>services/{service}</c> (with its pipeline); <c>instances/{service}@{instance}</c>, so a service's instances are a prefix.</item>
/// <item><c>environment-instances/{env}.{service}@{instance}</c>: the instances that run in an environment (written before the instance, removed after it).</item>
/// <item><c>deployments/{id}</c> where the id is the target and a time stamp: <c>e.{env}.{stamp}-{random}</c>,
/// <c>s.{service}.{instance}.{stamp}-{random}</c>, <c>s.{service}._.{stamp}-{random}</c> (pipeline); a target's deployments, oldest
/// first, are a prefix, and an id is its own key. <c>environment-deployments/{env}.{id}</c> points at the deployments of the instances of an environment;
/// <c>running-deployments/{id}</c> at the deployments that have not finished (written before the deployment, removed once it finished).</item>
/// <item><c>template-index/{template}.{shard}</c>: per template, the resources on it with their version and status in 16 shards (with their counts by type and version, for the summary), rewritten on every
/// change of those fields with the store's revisions (read the shard, then the record, then write the shard conditionally; retried), so concurrent writers keep it exact.</item>
/// <item><c>deployment-ids/{old id}</c>: deployments recorded before version 2 had UUID keys; the migration moves them under their target and keeps their id resolvable through this alias.</item>
/// <item><c>platform/layout</c>: the layout version. A store without it is migrated on first use (idempotent: an interrupted migration runs again).</item>
/// </list>
/// </remarks>
internal sealed class PlatformRecords(IProtonStore store)
{
    public const string Environments = "environments";
    public const string Services = "services";
    public const string Instances = "instances";
    public const string Deployments = "deployments";
    public const string EnvironmentInstances = "environment-instances";
    public const string EnvironmentDeployments = "environment-deployments";
    public const string RunningDeployments = "running-deployments";
    public const string DeploymentIds = "deployment-ids";
    public const string TemplateIndex = "template-index";
    public const string Meta = "platform";
    public const string LayoutKey = "layout";
    public const int LayoutVersion = 2;
    public const int IndexShards = 16;

    private const int MaxAttempts = 50;
    private const int ReadConcurrency = 16;
    private static long _lastStamp;
    private readonly object _layoutGate = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ParsedShard> _shards = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (List<ParsedShard> Shards, (string Template, string Display, TemplateIndexEntry Entry)[] Rows)> _merged = new(StringComparer.Ordinal);
    private Task? _layout;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(), new PlainValueConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public IProtonStore Store { get; } = store;

    public static string InstanceKey(string service, string instance) => service + "@" + instance;

    public static PlatformException NotFound(string what, string name) => new(PlatformErrorCodes.NotFound, $"No {what} {name}.");

    // ---- typed reads

    public async Task<EnvironmentRecord?> GetEnvironmentAsync(string name, CancellationToken cancellationToken)
        => (await ReadAsync<EnvironmentRecord>(Environments, name, cancellationToken).ConfigureAwait(false))?.Value;

    public async Task<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(CancellationToken cancellationToken)
        => await ListAsync<EnvironmentRecord>(Environments, null, cancellationToken).ConfigureAwait(false);

    public async Task<ServiceRecord?> GetServiceAsync(string name, CancellationToken cancellationToken)
        => (await ReadAsync<ServiceRecord>(Services, name, cancellationToken).ConfigureAwait(false))?.Value;

    public async Task<IReadOnlyList<ServiceRecord>> ListServicesAsync(CancellationToken cancellationToken)
        => await ListAsync<ServiceRecord>(Services, null, cancellationToken).ConfigureAwait(false);

    public async Task<ServiceInstanceRecord?> GetInstanceAsync(string service, string instance, CancellationToken cancellationToken)
        => (await ReadAsync<ServiceInstanceRecord>(Instances, InstanceKey(service, instance), cancellationToken).ConfigureAwait(false))?.Value;

    public async Task<IReadOnlyList<ServiceInstanceRecord>> ListInstancesAsync(string service, CancellationToken cancellationToken)
        => await ListAsync<ServiceInstanceRecord>(Instances, service + "@", cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ServiceInstanceRecord>> ListAllInstancesAsync(CancellationToken cancellationToken)
        => await ListAsync<ServiceInstanceRecord>(Instances, null, cancellationToken).ConfigureAwait(false);

    /// <summary>The instances that run in an environment: a prefix of the environment's instance index, then those instances.</summary>
    public async Task<IReadOnlyList<ServiceInstanceRecord>> ListInstancesInEnvironmentAsync(string environment, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var pointers = await Store.ListAsync(EnvironmentInstances, environment + ".", cancellationToken).ConfigureAwait(false);
        var records = await GetManyAsync(Instances, pointers.Select(p => p.Key[(environment.Length + 1)..]).ToList(), cancellationToken).ConfigureAwait(false);
        return records.Select(Deserialize<ServiceInstanceRecord>).Where(i => i.EnvironmentName == environment).ToList();
    }

    public async Task<DeploymentRecord?> GetDeploymentAsync(string id, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var key = await DeploymentKeyAsync(id, cancellationToken).ConfigureAwait(false);
        return (await ReadAsync<DeploymentRecord>(Deployments, key, cancellationToken).ConfigureAwait(false))?.Value;
    }

    /// <summary>Every deployment (the whole history), one per id.</summary>
    public async Task<IReadOnlyList<DeploymentRecord>> ListDeploymentsAsync(CancellationToken cancellationToken)
        => Distinct(await Store.ListAsync(Deployments, null, await ReadyThenAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false));

    /// <summary>
    /// Deployments, oldest first, of one instance (a prefix), one service (a prefix: its instances and pipeline), one
    /// environment (its own prefix and the pointers to its instances' deployments), or all.
    /// </summary>
    public async Task<IReadOnlyList<DeploymentRecord>> ListDeploymentsAsync(string? environmentName, string? serviceName, string? instanceName, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<DeploymentRecord> found;
        if (serviceName is not null && ProtonNamesValid(serviceName) && (instanceName is null || ProtonNamesValid(instanceName)))
        {
            var prefix = instanceName is null ? $"s.{serviceName}." : $"s.{serviceName}.{instanceName}.";
            found = Distinct(await Store.ListAsync(Deployments, prefix, cancellationToken).ConfigureAwait(false));
        }
        else if (serviceName is null && instanceName is null && environmentName is not null && ProtonNamesValid(environmentName))
        {
            var own = await Store.ListAsync(Deployments, $"e.{environmentName}.", cancellationToken).ConfigureAwait(false);
            var pointers = await Store.ListAsync(EnvironmentDeployments, environmentName + ".", cancellationToken).ConfigureAwait(false);
            var instances = await GetManyAsync(Deployments, pointers.Select(p => p.Key[(environmentName.Length + 1)..]).ToList(), cancellationToken).ConfigureAwait(false);
            found = Distinct([.. own, .. instances]);
        }
        else if (serviceName is not null || instanceName is not null || environmentName is not null)
        {
            // A name no resource can have: nothing matches, as the filter below would say.
            found = serviceName is null && environmentName is null ? await ListDeploymentsAsync(cancellationToken).ConfigureAwait(false) : [];
        }
        else
        {
            found = await ListDeploymentsAsync(cancellationToken).ConfigureAwait(false);
        }

        return found.Where(d => (environmentName is null || d.EnvironmentName == environmentName)
                && (serviceName is null || d.ServiceName == serviceName)
                && (instanceName is null || d.InstanceName == instanceName))
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The deployments that have not finished, from their index; pointers to finished ones are removed on the way.</summary>
    public async Task<IReadOnlyList<DeploymentRecord>> ListRunningDeploymentsAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var pointers = await Store.ListAsync(RunningDeployments, null, cancellationToken).ConfigureAwait(false);
        var running = new List<DeploymentRecord>();
        foreach (var raw in await GetManyAsync(Deployments, pointers.Select(p => p.Key).ToList(), cancellationToken).ConfigureAwait(false))
        {
            var d = Deserialize<DeploymentRecord>(raw);
            if (d.IsFinished)
            {
                await RemovePointerAsync(RunningDeployments, raw.Key, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                running.Add(d);
            }
        }

        return running.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Removes a target's oldest finished deployments so that at most <paramref name="keep"/> remain (running ones always stay).</summary>
    public async Task<int> PruneDeploymentsAsync(TargetRef target, int keep, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var all = await Store.ListAsync(Deployments, DeploymentPrefix(target), cancellationToken).ConfigureAwait(false);
        var excess = all.Count - keep;
        var removed = 0;
        foreach (var raw in all)
        {
            if (removed >= excess)
            {
                break;
            }

            if (Deserialize<DeploymentRecord>(raw).IsFinished)
            {
                try
                {
                    await Store.DeleteAsync(Deployments, raw.Key, raw.Revision, cancellationToken).ConfigureAwait(false);
                    await AfterDeploymentDeletedAsync(raw.Key, Deserialize<DeploymentRecord>(raw), cancellationToken).ConfigureAwait(false);
                    removed++;
                }
                catch (StoreConflictException)
                {
                    // Changed or removed by another writer: it stays this time.
                }
            }
        }

        return removed;
    }

    /// <summary>The resources on one template (or every template), from the template index, in the order environments, instances, pipelines, each by name.</summary>
    public async Task<List<(string Template, string Display, TemplateIndexEntry Entry)>> ListIndexedResourcesAsync(string? templateName, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var shards = await Store.ListAsync(TemplateIndex, templateName is null ? null : templateName + ".", cancellationToken).ConfigureAwait(false);
        var parsed = shards.Select(ParseShard).ToList();
        var query = templateName ?? string.Empty;
        if (_merged.TryGetValue(query, out var last) && last.Shards.Count == parsed.Count && last.Shards.Zip(parsed).All(p => ReferenceEquals(p.First, p.Second)))
        {
            // No shard changed since the last time: its merged, ordered rows again (each row is immutable).
            return [.. last.Rows];
        }

        var rows = new List<IndexRow>(parsed.Sum(p => p.Shard.Entries.Count));
        foreach (var p in parsed)
        {
            rows.AddRange(p.Rows.Value);
        }

        rows.Sort(IndexRow.Compare);
        var result = rows.Select(r => (r.Template, r.Display, r.Entry)).ToArray();
        _merged[query] = (parsed, result);
        return [.. result];
    }

    /// <summary>
    /// Every template's resources counted by type and version, from the counts each index shard keeps: the summary reads
    /// these and never the entries (a shard written before the counts were kept is counted from its entries).
    /// </summary>
    public async Task<List<(string Template, TemplateIndexShard.Count Count)>> ListIndexCountsAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var counts = new List<(string Template, TemplateIndexShard.Count Count)>();
        foreach (var raw in await Store.ListAsync(TemplateIndex, null, cancellationToken).ConfigureAwait(false))
        {
            ShardCounts shard;
            if (_shards.TryGetValue(raw.Key, out var cached) && raw.Document.Span.SequenceEqual(cached.Document))
            {
                shard = new ShardCounts(cached.Shard.Template, cached.Shard.Counts ?? TemplateIndexShard.CountsOf(cached.Shard.Entries.Values));
            }
            else
            {
                shard = Deserialize<ShardCounts>(raw);
                if (shard.Counts is null)
                {
                    var full = ParseShard(raw).Shard;
                    shard = new ShardCounts(full.Template, TemplateIndexShard.CountsOf(full.Entries.Values));
                }
            }

            counts.AddRange(shard.Counts!.Select(c => (shard.Template, c)));
        }

        return counts;
    }

    /// <summary>
    /// A shard read from the store, parsed once: the parse is kept with the document's bytes and used again while the
    /// store returns the same bytes (compared in full, so a cached parse is never stale whatever the store's revisions do).
    /// </summary>
    private ParsedShard ParseShard(StoredRecord raw)
    {
        if (_shards.TryGetValue(raw.Key, out var cached) && raw.Document.Span.SequenceEqual(cached.Document))
        {
            return cached;
        }

        var shard = Deserialize<TemplateIndexShard>(raw);

        // The rows (names and order) only when a listing asks: a write reads its shard too and needs the entries only.
        var rows = new Lazy<IndexRow[]>(() =>
        {
            var ordered = shard.Entries.Select(kv =>
            {
                var (display, order) = DisplayOf(kv.Key, kv.Value.Type);
                return new IndexRow(shard.Template, display, order, kv.Value);
            }).ToArray();
            Array.Sort(ordered, IndexRow.Compare);
            return ordered;
        });
        var parsed = new ParsedShard(raw.Document.ToArray(), shard, rows);
        _shards[raw.Key] = parsed;
        return parsed;
    }

    /// <summary>Every environment, instance and pipeline, with the type and the name shown to people.</summary>
    public async Task<List<(DeploymentTargetType Type, string Display, DeployableRecord Record)>> ListAllResourcesAsync(CancellationToken cancellationToken)
    {
        var all = new List<(DeploymentTargetType, string, DeployableRecord)>();
        all.AddRange((await ListEnvironmentsAsync(cancellationToken).ConfigureAwait(false)).Select(e => (DeploymentTargetType.Environment, e.Name, (DeployableRecord)e)));
        all.AddRange((await ListAllInstancesAsync(cancellationToken).ConfigureAwait(false)).Select(i => (DeploymentTargetType.ServiceInstance, $"{i.ServiceName}/{i.Name}", (DeployableRecord)i)));
        all.AddRange((await ListServicesAsync(cancellationToken).ConfigureAwait(false)).Where(s => s.Pipeline is not null).Select(s => (DeploymentTargetType.ServicePipeline, s.Name, (DeployableRecord)s.Pipeline!)));
        return all;
    }

    // ---- targets

    public async Task<(DeployableRecord? Record, StoredRecord? Raw)> ReadTargetAsync(TargetRef target, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        return await ReadTargetCoreAsync(target, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(DeployableRecord? Record, StoredRecord? Raw)> ReadTargetCoreAsync(TargetRef target, CancellationToken cancellationToken)
    {
        var raw = await Store.GetAsync(target.Collection, target.Key, cancellationToken).ConfigureAwait(false);
        if (raw is null)
        {
            return (null, null);
        }

        DeployableRecord? record = target.Type switch
        {
            DeploymentTargetType.Environment => Deserialize<EnvironmentRecord>(raw),
            DeploymentTargetType.ServiceInstance => Deserialize<ServiceInstanceRecord>(raw),
            _ => Deserialize<ServiceRecord>(raw).Pipeline,
        };
        return (record, raw);
    }

    /// <summary>Read-modify-write of a target with optimistic concurrency; <paramref name="change"/> returns null to delete and runs again after a lost race.</summary>
    public async Task UpdateTargetAsync(TargetRef target, Func<DeployableRecord?, DeployableRecord?> change, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var (current, raw) = await ReadTargetCoreAsync(target, cancellationToken).ConfigureAwait(false);
            if (raw is null && target.Type == DeploymentTargetType.ServicePipeline)
            {
                throw NotFound("service", target.Service!);
            }

            var updated = change(current);
            if (ReferenceEquals(updated, current))
            {
                return;
            }

            try
            {
                if (target.Type == DeploymentTargetType.ServicePipeline)
                {
                    var service = Deserialize<ServiceRecord>(raw!) with { Pipeline = (PipelineRecord?)updated };
                    await Store.PutAsync(target.Collection, target.Key, Serialize(service), raw!.Revision, cancellationToken).ConfigureAwait(false);
                }
                else if (updated is null)
                {
                    await Store.DeleteAsync(target.Collection, target.Key, raw!.Revision, cancellationToken).ConfigureAwait(false);
                    if (current is ServiceInstanceRecord gone)
                    {
                        await RemovePointerAsync(EnvironmentInstances, $"{gone.EnvironmentName}.{target.Key}", cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    if (raw is null && updated is ServiceInstanceRecord created)
                    {
                        await AddPointerAsync(EnvironmentInstances, $"{created.EnvironmentName}.{target.Key}", cancellationToken).ConfigureAwait(false);
                    }

                    await Store.PutAsync(target.Collection, target.Key, Serialize(updated, updated.GetType()), raw?.Revision, cancellationToken).ConfigureAwait(false);
                }

                await AfterTargetChangedAsync(target, current, updated, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (StoreConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    // ---- generic records

    public async Task<DeploymentRecord> UpdateDeploymentAsync(string id, Func<DeploymentRecord, DeploymentRecord> change, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var key = await DeploymentKeyAsync(id, cancellationToken).ConfigureAwait(false);
        return await UpdateAsync(Deployments, key, change, cancellationToken).ConfigureAwait(false) ?? throw NotFound("deployment", id);
    }

    /// <summary>Read-modify-write of one record with optimistic concurrency (the change runs again after a lost race); null when there is no record.</summary>
    public async Task<T?> UpdateAsync<T>(string collection, string key, Func<T, T> change, CancellationToken cancellationToken)
        where T : class
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var current = await ReadAsync<T>(collection, key, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return null;
            }

            var updated = change(current.Value);
            if (ReferenceEquals(updated, current.Value))
            {
                return updated;
            }

            try
            {
                await Store.PutAsync(collection, key, Serialize(updated), current.Revision, cancellationToken).ConfigureAwait(false);
                await AfterWriteAsync(collection, key, current.Value, updated, cancellationToken).ConfigureAwait(false);
                return updated;
            }
            catch (StoreConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    public async Task<Versioned<T>?> ReadAsync<T>(string collection, string key, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var raw = await Store.GetAsync(collection, key, cancellationToken).ConfigureAwait(false);
        return raw is null ? null : new Versioned<T>(Deserialize<T>(raw), raw.Revision);
    }

    public async Task<List<T>> ListAsync<T>(string collection, string? prefix, CancellationToken cancellationToken)
        => (await Store.ListAsync(collection, prefix, await ReadyThenAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false)).Select(Deserialize<T>).ToList();

    /// <summary>Creates or replaces a record; the indexes follow (a deployment's and an instance's pointers are written before it).</summary>
    public async Task PutAsync<T>(string collection, string key, T value, string? revision, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        object? before = null;
        if (revision is null)
        {
            await BeforeCreateAsync(collection, key, value, cancellationToken).ConfigureAwait(false);
        }
        else if (collection is Services or Environments)
        {
            // The index entry this write may change is found from what was there.
            before = await Store.GetAsync(collection, key, cancellationToken).ConfigureAwait(false) is { } old ? DeserializeAs(collection, old) : null;
        }

        await Store.PutAsync(collection, key, Serialize(value), revision, cancellationToken).ConfigureAwait(false);
        await AfterWriteAsync(collection, key, before, value, cancellationToken, created: revision is null).ConfigureAwait(false);
    }

    /// <summary>Deletes a record if it is there; the indexes follow.</summary>
    public async Task DeleteAsync(string collection, string key, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        if (collection == Deployments)
        {
            key = await DeploymentKeyAsync(key, cancellationToken).ConfigureAwait(false);
        }

        if (await Store.GetAsync(collection, key, cancellationToken).ConfigureAwait(false) is { } raw)
        {
            await Store.DeleteAsync(collection, key, raw.Revision, cancellationToken).ConfigureAwait(false);
            await AfterWriteAsync(collection, key, DeserializeAs(collection, raw), null, cancellationToken).ConfigureAwait(false);
        }
    }

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    private static byte[] Serialize(object value, Type type) => JsonSerializer.SerializeToUtf8Bytes(value, type, Json);

    public static T Deserialize<T>(StoredRecord raw)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(raw.Document.Span, Json) ?? throw new JsonException("empty document");
        }
        catch (JsonException ex)
        {
            throw new StoreCorruptedException($"{raw.Collection}/{raw.Key}", $"the document is not a valid {Describe(typeof(T))} ({ex.Message})");
        }
    }

    private static string Describe(Type t) => t.Name switch
    {
        nameof(EnvironmentRecord) => "environment record",
        nameof(ServiceRecord) => "service record",
        nameof(ServiceInstanceRecord) => "service instance record",
        nameof(DeploymentRecord) => "deployment record",
        _ => "record",
    };

    // ---- keys

    /// <summary>A new deployment id: the target's prefix, a time stamp that sorts (strictly increasing in this process), a random part.</summary>
    public static string NewDeploymentId(TargetRef target, DateTimeOffset now)
    {
        long ticks;
        long last;
        do
        {
            last = Interlocked.Read(ref _lastStamp);
            ticks = Math.Max(now.UtcTicks, last + 1);
        }
        while (Interlocked.CompareExchange(ref _lastStamp, ticks, last) != last);

        return DeploymentPrefix(target) + Stamp(ticks) + "-" + Guid.NewGuid().ToString("N")[..8];
    }

    /// <summary>The key prefix of a target's deployments.</summary>
    public static string DeploymentPrefix(TargetRef target) => target.Type switch
    {
        DeploymentTargetType.Environment => $"e.{target.Key}.",
        DeploymentTargetType.ServiceInstance => $"s.{target.Service}.{target.Instance}.",
        _ => $"s.{target.Service}._.",
    };

    /// <summary>True for ids of layout 2, which are their own key.</summary>
    public static bool IsKeyedId(string id) => id.Length > 2 && id[1] == '.' && id[0] is 'e' or 's';

    private static string Stamp(long utcTicks) => new DateTime(utcTicks, DateTimeKind.Utc).ToString("yyyyMMddHHmmssfffffff", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The key of a resource in its template's index.</summary>
    private static string IndexKey(TargetRef target) => DeploymentPrefix(target).TrimEnd('.');

    private static string ShardKey(string template, string indexKey)
    {
        // FNV-1a: stable across processes and runtimes (string.GetHashCode is not).
        var hash = 2166136261u;
        foreach (var c in indexKey)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return $"{template}.{(hash % IndexShards).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static (string Display, string Order) DisplayOf(string indexKey, DeploymentTargetType type)
    {
        var parts = indexKey.Split('.');
        return type switch
        {
            DeploymentTargetType.Environment => (parts[1], parts[1]),
            DeploymentTargetType.ServiceInstance => ($"{parts[1]}/{parts[2]}", $"{parts[1]}@{parts[2]}"),
            _ => (parts[1], parts[1]),
        };
    }

    private static bool ProtonNamesValid(string name) => Templates.ProtonNames.IsValid(name);

    private static TargetRef? TargetOf(DeploymentRecord d) => d.TargetType switch
    {
        DeploymentTargetType.Environment when d.EnvironmentName is not null => TargetRef.ForEnvironment(d.EnvironmentName),
        DeploymentTargetType.ServiceInstance when d.ServiceName is not null && d.InstanceName is not null => TargetRef.ForInstance(d.ServiceName, d.InstanceName, d.EnvironmentName),
        DeploymentTargetType.ServicePipeline when d.ServiceName is not null => TargetRef.ForPipeline(d.ServiceName),
        _ => null,
    };

    // ---- layout

    private async Task ReadyAsync(CancellationToken cancellationToken)
    {
        Task layout;
        lock (_layoutGate)
        {
            if (_layout is { IsFaulted: true } or { IsCanceled: true })
            {
                _layout = null;
            }

            layout = _layout ??= MigrateAsync(CancellationToken.None);
        }

        if (!layout.IsCompletedSuccessfully)
        {
            await layout.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<CancellationToken> ReadyThenAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        return cancellationToken;
    }

    /// <summary>
    /// Brings a store written by an earlier layout to layout 2: instance pointers per environment, deployments moved under
    /// their target (UUID ids stay resolvable through <c>deployment-ids</c>), running and per-environment pointers, the
    /// template index rebuilt from the records; then the layout marker. Every step is idempotent, so a migration that was
    /// interrupted runs again from the start on the next open; two processes migrating at once do the same writes.
    /// </summary>
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (await Store.GetAsync(Meta, LayoutKey, cancellationToken).ConfigureAwait(false) is { } marker
            && JsonDocument.Parse(marker.Document).RootElement.TryGetProperty("version", out var v) && v.TryGetInt32(out var version) && version >= LayoutVersion)
        {
            return;
        }

        foreach (var raw in await Store.ListAsync(Instances, null, cancellationToken).ConfigureAwait(false))
        {
            await AddPointerAsync(EnvironmentInstances, $"{Deserialize<ServiceInstanceRecord>(raw).EnvironmentName}.{raw.Key}", cancellationToken).ConfigureAwait(false);
        }

        foreach (var raw in await Store.ListAsync(Deployments, null, cancellationToken).ConfigureAwait(false))
        {
            if (IsKeyedId(raw.Key))
            {
                continue;
            }

            var d = Deserialize<DeploymentRecord>(raw);
            if (TargetOf(d) is not { } target)
            {
                continue;
            }

            var key = DeploymentPrefix(target) + Stamp(d.CreatedAt.UtcTicks) + "-" + raw.Key;
            if (key.Length > StoreKeys.MaxLength)
            {
                continue;
            }

            await BeforeCreateAsync(Deployments, key, d, cancellationToken).ConfigureAwait(false);
            try
            {
                await Store.PutAsync(DeploymentIds, d.Id, Serialize(new DeploymentAlias(key)), null, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreConflictException)
            {
            }

            try
            {
                await Store.PutAsync(Deployments, key, raw.Document, null, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreConflictException)
            {
            }

            try
            {
                await Store.DeleteAsync(Deployments, raw.Key, raw.Revision, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreConflictException)
            {
            }
        }

        await RebuildTemplateIndexAsync(cancellationToken).ConfigureAwait(false);
        var current = await Store.GetAsync(Meta, LayoutKey, cancellationToken).ConfigureAwait(false);
        try
        {
            await Store.PutAsync(Meta, LayoutKey, Serialize(new LayoutMarker(LayoutVersion)), current?.Revision, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreConflictException)
        {
            // Another process finished the same migration.
        }
    }

    /// <summary>Recomputes every template's index from the records (shards read first, so a lost race retries).</summary>
    private async Task RebuildTemplateIndexAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = (await Store.ListAsync(TemplateIndex, null, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Key, StringComparer.Ordinal);
            var shards = new Dictionary<string, TemplateIndexShard>(StringComparer.Ordinal);
            void Add(string template, TargetRef target, DeployableRecord record)
            {
                var indexKey = IndexKey(target);
                var shardKey = ShardKey(template, indexKey);
                if (!shards.TryGetValue(shardKey, out var shard))
                {
                    shards[shardKey] = shard = new TemplateIndexShard(template, new Dictionary<string, TemplateIndexEntry>(StringComparer.Ordinal));
                }

                shard.Entries[indexKey] = TemplateIndexEntry.Of(target.Type, record);
            }

            foreach (var e in (await Store.ListAsync(Environments, null, cancellationToken).ConfigureAwait(false)).Select(Deserialize<EnvironmentRecord>))
            {
                Add(e.TemplateName, TargetRef.ForEnvironment(e.Name), e);
            }

            foreach (var i in (await Store.ListAsync(Instances, null, cancellationToken).ConfigureAwait(false)).Select(Deserialize<ServiceInstanceRecord>))
            {
                Add(i.TemplateName, TargetRef.ForInstance(i.ServiceName, i.Name, i.EnvironmentName), i);
            }

            foreach (var s in (await Store.ListAsync(Services, null, cancellationToken).ConfigureAwait(false)).Select(Deserialize<ServiceRecord>))
            {
                if (s.Pipeline is { } p)
                {
                    Add(p.TemplateName, TargetRef.ForPipeline(s.Name), p);
                }
            }

            try
            {
                foreach (var (key, shard) in shards)
                {
                    if (existing.GetValueOrDefault(key) is { } old && ParseShard(old).Shard is { Counts: not null } oldShard && SameEntries(oldShard.Entries, shard.Entries))
                    {
                        continue;
                    }

                    await Store.PutAsync(TemplateIndex, key, Serialize(shard.WithCounts()), existing.GetValueOrDefault(key)?.Revision, cancellationToken).ConfigureAwait(false);
                }

                foreach (var stale in existing.Values.Where(r => !shards.ContainsKey(r.Key)))
                {
                    await Store.DeleteAsync(TemplateIndex, stale.Key, stale.Revision, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (StoreConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private static bool SameEntries(IReadOnlyDictionary<string, TemplateIndexEntry> a, IReadOnlyDictionary<string, TemplateIndexEntry> b)
        => a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && other == kv.Value);

    // ---- indexes

    /// <summary>The store key of a deployment id: the id itself, or (ids from before layout 2) its alias's key.</summary>
    private async Task<string> DeploymentKeyAsync(string id, CancellationToken cancellationToken)
    {
        if (IsKeyedId(id))
        {
            return id;
        }

        if (await Store.GetAsync(DeploymentIds, id, cancellationToken).ConfigureAwait(false) is { } alias
            && Deserialize<DeploymentAlias>(alias).Key is { } key
            && await Store.GetAsync(Deployments, key, cancellationToken).ConfigureAwait(false) is not null)
        {
            return key;
        }

        return id;
    }

    /// <summary>Deployments by id, once each (a migration interrupted between copy and delete leaves two copies for a while).</summary>
    private static List<DeploymentRecord> Distinct(IEnumerable<StoredRecord> records)
    {
        var byId = new Dictionary<string, DeploymentRecord>(StringComparer.Ordinal);
        foreach (var raw in records)
        {
            var d = Deserialize<DeploymentRecord>(raw);
            if (!byId.ContainsKey(d.Id) || IsKeyedId(raw.Key))
            {
                byId[d.Id] = d;
            }
        }

        return [.. byId.Values];
    }

    /// <summary>Reads records by key, at most <see cref="ReadConcurrency"/> at a time; missing ones are left out; the order of the keys is kept.</summary>
    private async Task<List<StoredRecord>> GetManyAsync(string collection, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var found = new StoredRecord?[keys.Count];
        if (keys.Count <= 1)
        {
            for (var i = 0; i < keys.Count; i++)
            {
                found[i] = await Store.GetAsync(collection, keys[i], cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, keys.Count), new ParallelOptions { MaxDegreeOfParallelism = ReadConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
                found[i] = await Store.GetAsync(collection, keys[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        }

        return [.. found.Where(r => r is not null).Select(r => r!)];
    }

    private async Task AddPointerAsync(string collection, string key, CancellationToken cancellationToken)
    {
        try
        {
            await Store.PutAsync(collection, key, "{}"u8.ToArray(), null, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreConflictException)
        {
            // There already.
        }
    }

    private async Task RemovePointerAsync(string collection, string key, CancellationToken cancellationToken)
    {
        if (await Store.GetAsync(collection, key, cancellationToken).ConfigureAwait(false) is { } raw)
        {
            try
            {
                await Store.DeleteAsync(collection, key, raw.Revision, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreConflictException)
            {
                // Removed by another writer.
            }
        }
    }

    /// <summary>Pointers that must exist before a record does: a deployment's running and per-environment pointers, an instance's environment pointer.</summary>
    private async Task BeforeCreateAsync(string collection, string key, object? value, CancellationToken cancellationToken)
    {
        switch (value)
        {
            case DeploymentRecord d when collection == Deployments:
                if (!d.IsFinished)
                {
                    await AddPointerAsync(RunningDeployments, key, cancellationToken).ConfigureAwait(false);
                }

                if (d.TargetType == DeploymentTargetType.ServiceInstance && d.EnvironmentName is not null)
                {
                    await AddPointerAsync(EnvironmentDeployments, $"{d.EnvironmentName}.{key}", cancellationToken).ConfigureAwait(false);
                }

                break;
            case ServiceInstanceRecord i when collection == Instances:
                await AddPointerAsync(EnvironmentInstances, $"{i.EnvironmentName}.{key}", cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The indexes after a record changed (<paramref name="after"/> null: deleted).</summary>
    private async Task AfterWriteAsync(string collection, string key, object? before, object? after, CancellationToken cancellationToken, bool created = false)
    {
        switch (collection)
        {
            case Deployments:
                if (after is null && before is DeploymentRecord deleted)
                {
                    await AfterDeploymentDeletedAsync(key, deleted, cancellationToken).ConfigureAwait(false);
                }
                else if (after is DeploymentRecord { IsFinished: true } && !created && before is not DeploymentRecord { IsFinished: true })
                {
                    await RemovePointerAsync(RunningDeployments, key, cancellationToken).ConfigureAwait(false);
                }

                break;
            case Environments:
                await AfterTargetChangedAsync(TargetRef.ForEnvironment(key), before as DeployableRecord, after as DeployableRecord, cancellationToken).ConfigureAwait(false);
                break;
            case Instances:
                var instance = (after ?? before) as ServiceInstanceRecord;
                if (after is null && before is ServiceInstanceRecord gone)
                {
                    await RemovePointerAsync(EnvironmentInstances, $"{gone.EnvironmentName}.{key}", cancellationToken).ConfigureAwait(false);
                }

                if (instance is not null)
                {
                    await AfterTargetChangedAsync(TargetRef.ForInstance(instance.ServiceName, instance.Name, instance.EnvironmentName), before as DeployableRecord, after as DeployableRecord, cancellationToken).ConfigureAwait(false);
                }

                break;
            case Services:
                await AfterTargetChangedAsync(TargetRef.ForPipeline(key), (before as ServiceRecord)?.Pipeline, (after as ServiceRecord)?.Pipeline, cancellationToken, unknownBefore: before is null && !created).ConfigureAwait(false);
                break;
        }
    }

    private async Task AfterDeploymentDeletedAsync(string key, DeploymentRecord deleted, CancellationToken cancellationToken)
    {
        if (!deleted.IsFinished)
        {
            await RemovePointerAsync(RunningDeployments, key, cancellationToken).ConfigureAwait(false);
        }

        if (deleted.TargetType == DeploymentTargetType.ServiceInstance && deleted.EnvironmentName is not null)
        {
            await RemovePointerAsync(EnvironmentDeployments, $"{deleted.EnvironmentName}.{key}", cancellationToken).ConfigureAwait(false);
        }

        if (!IsKeyedId(deleted.Id))
        {
            await RemovePointerAsync(DeploymentIds, deleted.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Refreshes a resource's entry in its template's index when the fields the index keeps changed.</summary>
    private async Task AfterTargetChangedAsync(TargetRef target, DeployableRecord? before, DeployableRecord? after, CancellationToken cancellationToken, bool unknownBefore = false)
    {
        var entryBefore = before is null ? null : TemplateIndexEntry.Of(target.Type, before);
        var entryAfter = after is null ? null : TemplateIndexEntry.Of(target.Type, after);
        if (!unknownBefore && entryBefore == entryAfter && before?.TemplateName == after?.TemplateName)
        {
            // Nothing the index keeps changed here; but a writer that stopped between its record and its shard left the
            // entry behind the record. One read of the shard finds that, and the refresh repairs it.
            if (after is null || await IndexEntryAsync(target, after.TemplateName, cancellationToken).ConfigureAwait(false) == entryAfter)
            {
                return;
            }
        }

        foreach (var template in new[] { before?.TemplateName, after?.TemplateName }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            await RefreshIndexAsync(target, template, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The resource's entry in its template's shard, or null.</summary>
    private async Task<TemplateIndexEntry?> IndexEntryAsync(TargetRef target, string template, CancellationToken cancellationToken)
    {
        var indexKey = IndexKey(target);
        var raw = await Store.GetAsync(TemplateIndex, ShardKey(template, indexKey), cancellationToken).ConfigureAwait(false);
        return raw is null ? null : ParseShard(raw).Shard.Entries.GetValueOrDefault(indexKey);
    }

    /// <summary>
    /// Rebuilds the template index from the records: repairs entries a writer that stopped between a record and its shard
    /// left behind (a deleted resource's entry, a missing or outdated one). Reads every environment, instance and service.
    /// </summary>
    public async Task RepairTemplateIndexAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        await RebuildTemplateIndexAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the resource's current entry into its template's shard: the shard is read first, then the record, then the
    /// shard is written at the revision read (a lost race reads both again). Whatever order concurrent writers take, the
    /// last shard write was computed from a record read after every earlier write of it, so the index is exact.
    /// </summary>
    private async Task RefreshIndexAsync(TargetRef target, string template, CancellationToken cancellationToken)
    {
        var indexKey = IndexKey(target);
        var shardKey = ShardKey(template, indexKey);
        for (var attempt = 0; ; attempt++)
        {
            var raw = await Store.GetAsync(TemplateIndex, shardKey, cancellationToken).ConfigureAwait(false);
            var shard = raw is null ? new TemplateIndexShard(template, new Dictionary<string, TemplateIndexEntry>(StringComparer.Ordinal)) : ParseShard(raw).Shard;
            var (record, _) = await ReadTargetCoreAsync(target, cancellationToken).ConfigureAwait(false);
            var entry = record is not null && record.TemplateName == template ? TemplateIndexEntry.Of(target.Type, record) : null;
            if (shard.Entries.GetValueOrDefault(indexKey) == entry && (raw is null || shard.Counts is not null))
            {
                return;
            }

            var entries = new Dictionary<string, TemplateIndexEntry>(shard.Entries, StringComparer.Ordinal);
            if (entry is null)
            {
                entries.Remove(indexKey);
            }
            else
            {
                entries[indexKey] = entry;
            }

            try
            {
                await Store.PutAsync(TemplateIndex, shardKey, Serialize((shard with { Entries = entries }).WithCounts()), raw?.Revision, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (StoreConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private static object? DeserializeAs(string collection, StoredRecord raw) => collection switch
    {
        Environments => Deserialize<EnvironmentRecord>(raw),
        Instances => Deserialize<ServiceInstanceRecord>(raw),
        Services => Deserialize<ServiceRecord>(raw),
        Deployments => Deserialize<DeploymentRecord>(raw),
        _ => null,
    };

    /// <summary>A record and the revision it was read at.</summary>
    public sealed record Versioned<T>(T Value, string Revision);

    /// <summary>Where a deployment recorded before layout 2 lives now.</summary>
    private sealed record DeploymentAlias(string Key);

    /// <summary>A shard's template and counts, read without its entries.</summary>
    private sealed record ShardCounts(string Template, List<TemplateIndexShard.Count>? Counts);

    /// <summary>One resource of the index with the name shown and the name it is ordered by.</summary>
    private sealed record IndexRow(string Template, string Display, string Order, TemplateIndexEntry Entry)
    {
        /// <summary>By template, then type (environments, instances, pipelines), then name.</summary>
        public static int Compare(IndexRow? a, IndexRow? b)
        {
            if (ReferenceEquals(a, b))
            {
                return 0;
            }

            if (a is null || b is null)
            {
                return a is null ? -1 : 1;
            }

            var c = string.CompareOrdinal(a.Template, b.Template);
            if (c == 0)
            {
                c = a.Entry.Type.CompareTo(b.Entry.Type);
            }

            return c != 0 ? c : string.CompareOrdinal(a.Order, b.Order);
        }
    }

    /// <summary>A shard as parsed from some bytes, with its rows ordered.</summary>
    private sealed record ParsedShard(byte[] Document, TemplateIndexShard Shard, Lazy<IndexRow[]> Rows);

    /// <summary>The layout marker.</summary>
    private sealed record LayoutMarker(int Version);
}
