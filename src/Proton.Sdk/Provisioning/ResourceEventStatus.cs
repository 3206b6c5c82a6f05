namespace Proton.Sdk.Provisioning;

/// <summary>Where one resource's operation stands, in any engine's terms.</summary>
public enum ResourceEventStatus
{
    /// <summary>The operation started or goes on.</summary>
    InProgress,

    /// <summary>The operation finished as asked.</summary>
    Succeeded,

    /// <summary>The operation failed; the event's reason says why.</summary>
    Failed,

    /// <summary>The engine left the resource as it was (for example a retained resource on delete).</summary>
    Skipped,
}
