namespace Proton.Sdk.Platform;

/// <summary>
/// One shard of a template's index: the resources on the template whose key hashes to this shard, by key
/// (<c>e.env</c>, <c>s.service.instance</c>, <c>s.service._</c> for a pipeline), and their counts by type and version.
/// Written with the store's revisions, so concurrent writers keep it exact; the counts are computed from the entries
/// on every write of the shard (<see cref="WithCounts"/>), in the same document, so they are exactly the entries' counts.
/// </summary>
/// <param name="Template">The template.</param>
/// <param name="Entries">The resources by key.</param>
internal sealed record TemplateIndexShard(string Template, Dictionary<string, TemplateIndexEntry> Entries)
{
    /// <summary>
    /// The entries counted by type and version (failed ones apart): what the summary reads instead of the entries.
    /// Null in a shard written before the counts were kept (then the summary counts the entries).
    /// </summary>
    public List<Count>? Counts { get; init; }

    /// <summary>The shard with <see cref="Counts"/> computed from its entries, ordered by type then version.</summary>
    /// <returns>The shard to write.</returns>
    public TemplateIndexShard WithCounts() => this with { Counts = CountsOf(Entries.Values) };

    /// <summary>The counts of some entries by type and version, ordered by type then version.</summary>
    public static List<Count> CountsOf(IEnumerable<TemplateIndexEntry> entries)
    {
        var counts = new Dictionary<(DeploymentTargetType Type, string Version), (int Total, int Failed)>();
        foreach (var e in entries)
        {
            var (total, failed) = counts.GetValueOrDefault((e.Type, e.Version));
            counts[(e.Type, e.Version)] = (total + 1, failed + (e.IsFailed ? 1 : 0));
        }

        return [.. counts.OrderBy(kv => kv.Key.Type).ThenBy(kv => kv.Key.Version, StringComparer.Ordinal).Select(kv => new Count(kv.Key.Type, kv.Key.Version, kv.Value.Total, kv.Value.Failed))];
    }

    /// <summary>How many resources of one type run one version, and how many of them failed their last deployment.</summary>
    /// <param name="Type">Environment, instance or pipeline.</param>
    /// <param name="Version">The template version.</param>
    /// <param name="Total">Resources of that type on that version.</param>
    /// <param name="Failed">Those whose last deployment failed (or failed to delete).</param>
    internal sealed record Count(DeploymentTargetType Type, string Version, int Total, int Failed);
}
