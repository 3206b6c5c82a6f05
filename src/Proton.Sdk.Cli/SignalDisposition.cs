using System.Runtime.InteropServices;

namespace Proton.Sdk.Cli;

/// <summary>
/// Takes SIGINT back when the process was started with it ignored. A shell without job control (a script or CI step
/// that runs <c>proton ... &amp;</c>, or a test runner started that way) starts background commands with SIGINT ignored,
/// the disposition passes to every child, and .NET keeps an ignored SIGINT ignored: <c>Console.CancelKeyPress</c> never
/// runs and a deployment goes on after Ctrl-C or <c>kill -INT</c>. Like Go's <c>signal.Notify</c> (Terraform's CLI), a
/// command that handles SIGINT puts it back to its default before the runtime installs its handler.
/// </summary>
internal static unsafe class SignalDisposition
{
    private const int Sigint = 2; // the same number on Linux and macOS
    private const nint SigDfl = 0;
    private const nint SigIgn = 1;

    /// <summary>
    /// Sets SIGINT to its default disposition if, and only if, it is ignored; call before anything subscribes to
    /// <see cref="Console.CancelKeyPress"/>. Returns true when it changed it. A handler already installed is left alone.
    /// </summary>
    public static bool RestoreIgnoredSigint()
    {
        if (OperatingSystem.IsWindows() || !TryLibc(out var libc))
        {
            return false;
        }

        if (!NativeLibrary.TryGetExport(libc, "sigaction", out var sigaction) || !NativeLibrary.TryGetExport(libc, "signal", out var signal))
        {
            return false;
        }

        // struct sigaction starts with the handler on Linux (glibc, musl) and macOS; the buffer is larger than any of them.
        var old = stackalloc byte[1024];
        if (((delegate* unmanaged<int, void*, void*, int>)sigaction)(Sigint, null, old) != 0 || *(nint*)old != SigIgn)
        {
            return false;
        }

        ((delegate* unmanaged<int, nint, nint>)signal)(Sigint, SigDfl);
        return true;
    }

    private static bool TryLibc(out nint handle)
        => NativeLibrary.TryLoad("libc.so.6", out handle) || NativeLibrary.TryLoad("libc", out handle);
}
