namespace Proton.Sdk.Migration;

/// <summary>What <see cref="ProtonMigration.AdoptAsync"/> takes over.</summary>
public sealed record AdoptRequest
{
    /// <summary>
    /// Template bundles in Proton's template-sync layout: <c>[subdir/]&lt;template&gt;/v&lt;major&gt;/</c> (or
    /// <c>v&lt;major&gt;.&lt;minor&gt;</c>), registered as <c>major.0.0</c> (<c>major.minor.0</c>) and published. Null uses only
    /// the versions already in the registry.
    /// </summary>
    public string? TemplatesDirectory { get; init; }

    /// <summary>Spec files: <c>environments/&lt;env&gt;.yaml</c> (EnvironmentSpec) and <c>services/&lt;service&gt;.yaml</c> (ServiceSpec).</summary>
    public required string SpecsDirectory { get; init; }

    /// <summary>Prove only: nothing is registered or recorded.</summary>
    public bool DryRun { get; init; }

    /// <summary>Adopt resources whose deployed template differs from every rendering, with the closest version; their first update is then a change.</summary>
    public bool AcceptDrift { get; init; }

    /// <summary>
    /// The repository of services with a pipeline (Proton's service properties <c>repository_id</c>, <c>branch_name</c>,
    /// <c>repository_connection_arn</c>, which spec files do not hold), by service name; pipeline templates that read
    /// them render differently without. Default empty.
    /// </summary>
    public IReadOnlyList<Rendering.ServiceInfo> Services { get; init; } = [];

    /// <summary>The estate to adopt; discovered from the inventory when null.</summary>
    public ProtonEstate? Estate { get; init; }
}
