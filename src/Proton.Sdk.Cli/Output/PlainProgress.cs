using Proton.Sdk.Platform;

namespace Proton.Sdk.Cli.Output;

/// <summary>One line per progress report on stderr: <c>  target: message</c>.</summary>
internal sealed class PlainProgress(TextWriter writer) : IProgress<DeploymentProgress>
{
    public void Report(DeploymentProgress value)
    {
        lock (writer)
        {
            writer.WriteLine($"  {value.Target}: {value.Message}");
        }
    }
}
