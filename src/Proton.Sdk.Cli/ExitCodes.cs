namespace Proton.Sdk.Cli;

/// <summary>The exit code contract of <c>proton</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>Invalid input (diagnostics on stderr) or a deployment that did not succeed.</summary>
    public const int Invalid = 1;

    /// <summary>A usage error: unknown command or option, missing or extra arguments, a value of the wrong form.</summary>
    public const int Usage = 2;

    /// <summary>Cancelled by Ctrl-C (SIGINT) or SIGTERM.</summary>
    public const int Cancelled = 130;
}
