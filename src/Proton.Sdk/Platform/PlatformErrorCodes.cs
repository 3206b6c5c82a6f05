namespace Proton.Sdk.Platform;

/// <summary>The stable error codes of the platform lifecycle (<see cref="ProtonException.ErrorCode"/> and <see cref="Diagnostic"/> codes).</summary>
public static class PlatformErrorCodes
{
    /// <summary><c>platform.already-exists</c>: already exists.</summary>
    public const string AlreadyExists = "platform.already-exists";

    /// <summary><c>platform.conflict</c>: conflict.</summary>
    public const string Conflict = "platform.conflict";

    /// <summary><c>platform.customer-managed</c>: customer managed.</summary>
    public const string CustomerManaged = "platform.customer-managed";

    /// <summary><c>platform.environment-not-ready</c>: environment not ready.</summary>
    public const string EnvironmentNotReady = "platform.environment-not-ready";

    /// <summary><c>platform.in-use</c>: in use.</summary>
    public const string InUse = "platform.in-use";

    /// <summary><c>platform.incompatible-environment</c>: incompatible environment.</summary>
    public const string IncompatibleEnvironment = "platform.incompatible-environment";

    /// <summary><c>platform.invalid-import</c>: invalid import.</summary>
    public const string InvalidImport = "platform.invalid-import";

    /// <summary><c>platform.invalid-inputs</c>: invalid inputs.</summary>
    public const string InvalidInputs = "platform.invalid-inputs";

    /// <summary><c>platform.invalid-name</c>: invalid name.</summary>
    public const string InvalidName = "platform.invalid-name";

    /// <summary><c>platform.invalid-rollback</c>: invalid rollback.</summary>
    public const string InvalidRollback = "platform.invalid-rollback";

    /// <summary><c>platform.invalid-spec</c>: invalid spec.</summary>
    public const string InvalidSpec = "platform.invalid-spec";

    /// <summary><c>platform.invalid-update</c>: invalid update.</summary>
    public const string InvalidUpdate = "platform.invalid-update";

    /// <summary><c>platform.invalid-version</c>: invalid version.</summary>
    public const string InvalidVersion = "platform.invalid-version";

    /// <summary><c>platform.missing-permissions</c>: missing permissions.</summary>
    public const string MissingPermissions = "platform.missing-permissions";

    /// <summary><c>platform.no-infrastructure</c>: no infrastructure.</summary>
    public const string NoInfrastructure = "platform.no-infrastructure";

    /// <summary><c>platform.no-pipeline</c>: no pipeline.</summary>
    public const string NoPipeline = "platform.no-pipeline";

    /// <summary><c>platform.not-cancellable</c>: not cancellable.</summary>
    public const string NotCancellable = "platform.not-cancellable";

    /// <summary><c>platform.not-awaiting</c>: a notification for a deployment that does not wait for an external apply.</summary>
    public const string NotAwaiting = "platform.not-awaiting";

    /// <summary><c>platform.not-found</c>: not found.</summary>
    public const string NotFound = "platform.not-found";

    /// <summary><c>platform.render-failed</c>: render failed.</summary>
    public const string RenderFailed = "platform.render-failed";

    /// <summary><c>platform.secret-required</c>: secret required.</summary>
    public const string SecretRequired = "platform.secret-required";

    /// <summary><c>platform.stack-not-found</c>: stack not found.</summary>
    public const string StackNotFound = "platform.stack-not-found";

    /// <summary><c>platform.stack-not-stable</c>: stack not stable.</summary>
    public const string StackNotStable = "platform.stack-not-stable";

    /// <summary><c>platform.stateful-replacement</c>: an upgrade plan replaces or deletes stateful resources and <see cref="UpgradeOptions.AllowStatefulReplacement"/> was not given.</summary>
    public const string StatefulReplacement = "platform.stateful-replacement";

    /// <summary><c>platform.template-not-found</c>: template not found.</summary>
    public const string TemplateNotFound = "platform.template-not-found";

    /// <summary><c>platform.unsupported-provisioning</c>: unsupported provisioning.</summary>
    public const string UnsupportedProvisioning = "platform.unsupported-provisioning";

    /// <summary><c>platform.version-unavailable</c>: version unavailable.</summary>
    public const string VersionUnavailable = "platform.version-unavailable";

    /// <summary><c>platform.wrong-template-kind</c>: wrong template kind.</summary>
    public const string WrongTemplateKind = "platform.wrong-template-kind";
}
