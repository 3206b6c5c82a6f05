namespace Proton.Sdk.Templates;

/// <summary>Error codes of reading a spec file (<see cref="SpecParser.ParseFileAsync"/>).</summary>
public static class SpecErrorCodes
{
    /// <summary>No file at the path.</summary>
    public const string NotFound = "spec.not-found";

    /// <summary>The spec is longer than Proton's 51,200 characters (or the file than 204,800 bytes).</summary>
    public const string TooLarge = "spec.too-large";

    /// <summary>The path is a device, FIFO or socket, not a regular file (reading it would never end or would block).</summary>
    public const string SpecialFile = "spec.special-file";

    /// <summary>The file is not valid UTF-8; the diagnostic gives the line and column of the first invalid byte.</summary>
    public const string InvalidEncoding = "spec.invalid-encoding";

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

    /// <summary><c>spec.unknown-key</c>: unknown key.</summary>
    public const string UnknownKey = "spec.unknown-key";

    /// <summary><c>spec.yaml</c>: yaml.</summary>
    public const string Yaml = "spec.yaml";
}
