using Proton.Sdk.Cli;

// Ctrl-C (or SIGTERM) cancels the running command through its token: a deployment in progress is recorded Cancelled by
// the platform and the command exits 130. A second Ctrl-C ends the process at once. SIGINT inherited ignored (a background
// job of a script) is taken back first, or .NET would keep ignoring it.
SignalDisposition.RestoreIgnoredSigint();
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!cancel.IsCancellationRequested)
    {
        e.Cancel = true;
        cancel.Cancel();
    }
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    cancel.Cancel();
});

return await ProtonCli.RunAsync(args, Console.Out, Console.Error, cancel.Token).ConfigureAwait(false);
