namespace Proton.Sdk.Provisioning.CodeBuild;

/// <summary>Which list of a CodeBuild manifest's commands runs.</summary>
public enum CodeBuildPhase
{
    /// <summary>The manifest's <c>provision</c> commands (create or update).</summary>
    Provision,

    /// <summary>The manifest's <c>deprovision</c> commands (delete).</summary>
    Deprovision,
}
