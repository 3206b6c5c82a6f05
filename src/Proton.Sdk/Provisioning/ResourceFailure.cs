namespace Proton.Sdk.Provisioning;

/// <summary>A resource that failed, as the root cause of a failed operation.</summary>
/// <param name="Resource">The resource (logical id or address).</param>
/// <param name="ResourceType">Its type.</param>
/// <param name="EngineStatus">The engine's failed status text (<c>CREATE_FAILED</c>, ...).</param>
/// <param name="Reason">What the provider said (secrets masked).</param>
public sealed record ResourceFailure(string Resource, string ResourceType, string EngineStatus, string Reason)
{
    /// <summary>The file the engine located the failure in, when it did (Terraform diagnostics).</summary>
    public string? File { get; init; }

    /// <summary>The 1-based line in <see cref="File"/>, when known.</summary>
    public int? Line { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Resource} ({ResourceType}) {EngineStatus}: {Reason}{(File is null ? string.Empty : $" [{File}{(Line is null ? string.Empty : ":" + Line)}]")}";
}
