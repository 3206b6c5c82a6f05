namespace Proton.Sdk.Storage;

/// <summary>The stable error codes of stores (<see cref="ProtonException.ErrorCode"/> and <see cref="Diagnostic"/> codes).</summary>
public static class StoreErrorCodes
{
    /// <summary><c>store.conflict</c>: a write lost a race (<see cref="StoreConflictException"/>).</summary>
    public const string Conflict = "store.conflict";

    /// <summary><c>store.corrupt</c>: a stored file or object could not be read back (<see cref="StoreCorruptedException"/>).</summary>
    public const string Corrupt = "store.corrupt";

    /// <summary><c>store.lock-timeout</c>: lock timeout.</summary>
    public const string LockTimeout = "store.lock-timeout";

    /// <summary><c>store.missing</c>: the store's table or bucket does not exist (stores never create one on open; see <c>proton store init</c>).</summary>
    public const string Missing = "store.missing";
}
