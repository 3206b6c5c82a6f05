namespace Proton.Sdk.Templates;

/// <summary>The stable error codes of spec files (<see cref="ProtonException.ErrorCode"/> and <see cref="Diagnostic"/> codes).</summary>
public static class SpecErrorCodes
{
    /// <summary><c>spec.duplicate-instance</c>: duplicate instance.</summary>
    public const string DuplicateInstance = "spec.duplicate-instance";

    /// <summary><c>spec.environment</c>: environment.</summary>
    public const string Environment = "spec.environment";

    /// <summary><c>spec.invalid</c>: invalid.</summary>
    public const string Invalid = "spec.invalid";

    /// <summary><c>spec.kind</c>: kind.</summary>
    public const string Kind = "spec.kind";

    /// <summary><c>spec.name</c>: name.</summary>
    public const string Name = "spec.name";

    /// <summary><c>spec.not-found</c>: not found.</summary>
    public const string NotFound = "spec.not-found";

    /// <summary><c>spec.too-large</c>: too large.</summary>
    public const string TooLarge = "spec.too-large";

    /// <summary><c>spec.unknown-key</c>: unknown key.</summary>
    public const string UnknownKey = "spec.unknown-key";

    /// <summary><c>spec.yaml</c>: yaml.</summary>
    public const string Yaml = "spec.yaml";
}
