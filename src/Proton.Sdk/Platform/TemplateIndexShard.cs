namespace Proton.Sdk.Platform;

/// <summary>
/// One shard of a template's index: the resources on the template whose key hashes to this shard, by key
/// (<c>e.env</c>, <c>s.service.instance</c>, <c>s.service._</c> for a pipeline). Written with the store's revisions, so
/// concurrent writers keep it exact.
/// </summary>
/// <param name="Template">The template.</param>
/// <param name="Entries">The resources by key.</param>
internal sealed record TemplateIndexShard(string Template, Dictionary<string, TemplateIndexEntry> Entries);
