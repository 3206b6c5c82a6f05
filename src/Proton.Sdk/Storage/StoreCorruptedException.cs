namespace Proton.Sdk.Storage;

/// <summary>A stored file or object could not be read back: it is reported, never skipped.</summary>
/// <param name="location">The file or object.</param>
/// <param name="reason">What is wrong.</param>
public sealed class StoreCorruptedException(string location, string reason)
    : ProtonException(StoreErrorCodes.Corrupt, $"{location}: {reason}")
{
    /// <summary>The damaged file or object.</summary>
    public string Location { get; } = location;
}
