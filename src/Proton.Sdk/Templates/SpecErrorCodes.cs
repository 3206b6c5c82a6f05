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
}
