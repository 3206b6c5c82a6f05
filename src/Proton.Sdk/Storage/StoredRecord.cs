namespace Proton.Sdk.Storage;

/// <summary>One stored record: a JSON document with the revision it was written at.</summary>
/// <param name="Collection">The collection (<c>templates</c>, <c>versions</c>, ...).</param>
/// <param name="Key">The key within the collection.</param>
/// <param name="Revision">An opaque revision; a write states the revision it read.</param>
/// <param name="Document">The UTF-8 JSON document.</param>
public sealed record StoredRecord(string Collection, string Key, string Revision, ReadOnlyMemory<byte> Document);
