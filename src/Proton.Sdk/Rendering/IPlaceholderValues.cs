namespace Proton.Sdk.Rendering;

/// <summary>Values that answer any name (outputs before a first deployment): kept as they are by the context builder.</summary>
internal interface IPlaceholderValues
{
    IReadOnlyDictionary<string, object?> AsValues();
}
