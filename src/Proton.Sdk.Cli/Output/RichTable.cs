using Spectre.Console;

namespace Proton.Sdk.Cli.Output;

/// <summary>Spectre.Console tables, only loaded when stdout is a terminal.</summary>
internal static class RichTable
{
    public static void Write(TextWriter writer, string[] headers, IReadOnlyList<string[]> rows)
    {
        var console = RichConsoles.Create(writer);
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var h in headers)
        {
            table.AddColumn(new TableColumn(new Text(h, new Style(decoration: Decoration.Bold))));
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c, RichConsoles.StyleFor(c))).ToArray());
        }

        console.Write(table);
    }
}
