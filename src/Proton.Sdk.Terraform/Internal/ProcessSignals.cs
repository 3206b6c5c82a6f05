using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Proton.Sdk.Terraform.Internal;

/// <summary>Sends SIGINT, which terraform treats as "stop gracefully and release the state lock".</summary>
internal static partial class ProcessSignals
{
    private const int SigInt = 2;

    public static bool Interrupt(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return Kill(process.Id, SigInt) == 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
