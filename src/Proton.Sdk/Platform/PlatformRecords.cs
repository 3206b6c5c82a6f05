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
internal sealed class PlatformRecords(IProtonStore store)
{
    public const string Environments = "environments";
    public const string Services = "services";
    public const string Instances = "instances";
    public const string Deployments = "deployments";

    private const int MaxAttempts = 50;

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

    public async Task<IReadOnlyList<ServiceInstanceRecord>> ListInstancesInEnvironmentAsync(string environment, CancellationToken cancellationToken)
        => (await ListAllInstancesAsync(cancellationToken).ConfigureAwait(false)).Where(i => i.EnvironmentName == environment).ToList();

    public async Task<DeploymentRecord?> GetDeploymentAsync(string id, CancellationToken cancellationToken)
        => (await ReadAsync<DeploymentRecord>(Deployments, id, cancellationToken).ConfigureAwait(false))?.Value;

    public async Task<IReadOnlyList<DeploymentRecord>> ListDeploymentsAsync(CancellationToken cancellationToken)
        => await ListAsync<DeploymentRecord>(Deployments, null, cancellationToken).ConfigureAwait(false);

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
        for (var attempt = 0; ; attempt++)
        {
            var (current, raw) = await ReadTargetAsync(target, cancellationToken).ConfigureAwait(false);
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
                }
                else
                {
                    await Store.PutAsync(target.Collection, target.Key, Serialize(updated, updated.GetType()), raw?.Revision, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (StoreConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    // ---- generic records

    public async Task<DeploymentRecord> UpdateDeploymentAsync(string id, Func<DeploymentRecord, DeploymentRecord> change, CancellationToken cancellationToken)
        => await UpdateAsync(Deployments, id, change, cancellationToken).ConfigureAwait(false) ?? throw NotFound("deployment", id);

    /// <summary>Read-modify-write of one record with optimistic concurrency (the change runs again after a lost race); null when there is no record.</summary>
    public async Task<T?> UpdateAsync<T>(string collection, string key, Func<T, T> change, CancellationToken cancellationToken)
        where T : class
    {
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
                return updated;
            }
            catch (StoreConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    public async Task<Versioned<T>?> ReadAsync<T>(string collection, string key, CancellationToken cancellationToken)
    {
        var raw = await Store.GetAsync(collection, key, cancellationToken).ConfigureAwait(false);
        return raw is null ? null : new Versioned<T>(Deserialize<T>(raw), raw.Revision);
    }

    public async Task<List<T>> ListAsync<T>(string collection, string? prefix, CancellationToken cancellationToken)
        => (await Store.ListAsync(collection, prefix, cancellationToken).ConfigureAwait(false)).Select(Deserialize<T>).ToList();

    public async Task PutAsync<T>(string collection, string key, T value, string? revision, CancellationToken cancellationToken)
        => await Store.PutAsync(collection, key, Serialize(value), revision, cancellationToken).ConfigureAwait(false);

    public async Task DeleteAsync(string collection, string key, CancellationToken cancellationToken)
    {
        if (await Store.GetAsync(collection, key, cancellationToken).ConfigureAwait(false) is { } raw)
        {
            await Store.DeleteAsync(collection, key, raw.Revision, cancellationToken).ConfigureAwait(false);
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

    /// <summary>A record and the revision it was read at.</summary>
    public sealed record Versioned<T>(T Value, string Revision);
}
