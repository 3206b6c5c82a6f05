namespace Proton.Sdk.Templates;

/// <summary>Error codes of <see cref="InputFile.ReadTextAsync"/>.</summary>
public static class InputFileErrorCodes
{
    /// <summary>No file at the path.</summary>
    public const string NotFound = "input.not-found";

    /// <summary>The path is a device, FIFO or socket, not a regular file (reading it would never end or would block).</summary>
    public const string SpecialFile = "input.special-file";

    /// <summary>The file is larger than the limit.</summary>
    public const string TooLarge = "input.too-large";

    /// <summary>The file is not valid UTF-8; the diagnostic gives the line and column of the first invalid byte.</summary>
    public const string InvalidEncoding = "input.invalid-encoding";
}
