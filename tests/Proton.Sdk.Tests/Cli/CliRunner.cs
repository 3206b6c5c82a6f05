using Proton.Sdk.Cli;

namespace Proton.Sdk.Tests.Cli;

/// <summary>Runs the proton command line in process and captures its exit code and output.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await ProtonCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
