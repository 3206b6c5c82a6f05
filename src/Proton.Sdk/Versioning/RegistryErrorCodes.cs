namespace Proton.Sdk.Versioning;

/// <summary>The stable error codes of the template registry (<see cref="ProtonException.ErrorCode"/> and <see cref="Diagnostic"/> codes).</summary>
public static class RegistryErrorCodes
{
    /// <summary><c>registry.bump-too-small</c>: bump too small.</summary>
    public const string BumpTooSmall = "registry.bump-too-small";

    /// <summary><c>registry.compatibility-missing</c>: compatibility missing.</summary>
    public const string CompatibilityMissing = "registry.compatibility-missing";

    /// <summary><c>registry.conflict</c>: conflict.</summary>
    public const string Conflict = "registry.conflict";

    /// <summary><c>registry.has-versions</c>: has versions.</summary>
    public const string HasVersions = "registry.has-versions";

    /// <summary><c>registry.in-use</c>: in use.</summary>
    public const string InUse = "registry.in-use";

    /// <summary><c>registry.invalid-kind</c>: invalid kind.</summary>
    public const string InvalidKind = "registry.invalid-kind";

    /// <summary><c>registry.invalid-name</c>: invalid name.</summary>
    public const string InvalidName = "registry.invalid-name";

    /// <summary><c>registry.invalid-status</c>: invalid status.</summary>
    public const string InvalidStatus = "registry.invalid-status";

    /// <summary><c>registry.invalid-version</c>: invalid version.</summary>
    public const string InvalidVersion = "registry.invalid-version";

    /// <summary><c>registry.not-found</c>: not found.</summary>
    public const string NotFound = "registry.not-found";

    /// <summary><c>registry.render-failed</c>: render failed.</summary>
    public const string RenderFailed = "registry.render-failed";

    /// <summary><c>registry.version-exists</c>: version exists.</summary>
    public const string VersionExists = "registry.version-exists";

    /// <summary><c>registry.invalid-template</c>: a rendered CloudFormation template does not parse or refers to something it does not define.</summary>
    public const string InvalidTemplate = "registry.invalid-template";

    /// <summary><c>registry.unknown-reference</c>: a <c>Ref</c>, <c>Fn::GetAtt</c> or <c>Fn::Sub</c> target that is neither a resource, a parameter nor a pseudo parameter.</summary>
    public const string UnknownReference = "registry.unknown-reference";

    /// <summary>
    /// <c>registry.secret-transformed</c>: a template does something with a secret input (<c>format: password</c>) but print it
    /// as it is (a comparison, condition, filter, slice, method, test or copy of it), or reaches an inputs object that holds
    /// one without a static name (a computed key, a dict method, a filter, a loop, an alias), which masking cannot follow.
    /// </summary>
    public const string SecretTransformed = "registry.secret-transformed";
}
