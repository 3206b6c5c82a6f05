using System.ComponentModel;
using System.Diagnostics;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Terraform.Internal;

/// <summary>The outcome of one terraform command.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, IReadOnlyList<string> StderrTail, bool Cancelled);

/// <summary>Runs terraform in a working directory: machine-readable, non-interactive; on cancellation SIGINT, then wait, then kill.</summary>
internal sealed class TerraformCli(string executable, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan grace, TimeProvider time, int tailLines)
{
    public async Task<CliRun> RunAsync(IReadOnlyList<string> arguments, Action<string>? onStdoutLine, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["TF_IN_AUTOMATION"] = "1";
        psi.Environment["TF_INPUT"] = "0";
        psi.Environment["CHECKPOINT_DISABLE"] = "1";
        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new ProvisioningException(TerraformErrorCodes.StartFailed, $"Could not start {executable}: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var stdout = new System.Text.StringBuilder();
        var tail = new Queue<string>();
        var readOut = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
            {
                if (onStdoutLine is null)
                {
                    stdout.Append(line).Append('\n');
                }
                else
                {
                    onStdoutLine(line);
                }
            }
        }, CancellationToken.None);
        var readErr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
            {
                lock (tail)
                {
                    tail.Enqueue(line);
                    if (tail.Count > Math.Max(1, tailLines))
                    {
                        tail.Dequeue();
                    }
                }
            }
        }, CancellationToken.None);

        var cancelled = false;
        var exited = process.WaitForExitAsync(CancellationToken.None);
        var cancelRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => cancelRequested.TrySetResult()))
        {
            await Task.WhenAny(exited, cancelRequested.Task).ConfigureAwait(false);
        }

        if (!exited.IsCompleted)
        {
            // Cancelled: SIGINT makes terraform stop its operation and release the state lock; it gets the grace period.
            cancelled = true;
            if (!ProcessSignals.Interrupt(process))
            {
                KillQuietly(process);
            }

            using var timeout = new CancellationTokenSource(grace, time);
            try
            {
                await exited.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                KillQuietly(process);
            }
        }

        await exited.ConfigureAwait(false);
        await Task.WhenAll(readOut, readErr).ConfigureAwait(false);
        List<string> errLines;
        lock (tail)
        {
            errLines = [.. tail];
        }

        return new CliRun(process.ExitCode, stdout.ToString(), errLines, cancelled);
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
