using Spectre.Console;

namespace Proton.Sdk.Cli.Output;

/// <summary>Spectre.Console consoles over the process's streams.</summary>
internal static class RichConsoles
{
    public static IAnsiConsole Create(TextWriter writer)
        => AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Detect,
        });

    /// <summary>Colours a status word.</summary>
    public static Style StyleFor(string cell) => cell switch
    {
        "Succeeded" or "DeleteComplete" or "succeeded" => new Style(Color.Green),
        "Failed" or "DeleteFailed" or "failed" or "RolledBack" => new Style(Color.Red),
        "Cancelled" or "Cancelling" or "cancelled" or "skipped" or "blocked" => new Style(Color.Yellow),
        "InProgress" or "DeleteInProgress" => new Style(Color.Blue),
        _ => Style.Plain,
    };
}
