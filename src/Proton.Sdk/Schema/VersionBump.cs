namespace Proton.Sdk.Schema;

/// <summary>The smallest SemVer bump a change needs.</summary>
public enum VersionBump
{
    /// <summary>No schema change: IaC-only changes need a patch.</summary>
    Patch,

    /// <summary>Additive schema changes.</summary>
    Minor,

    /// <summary>Breaking schema changes.</summary>
    Major,
}
