using System.Text.Json;
using System.Text.Json.Serialization;
using Proton.Sdk.Platform;

namespace Proton.Sdk.Cli.Output;

/// <summary>
/// Where a command writes: data on stdout (text tables or JSON), diagnostics and progress on stderr. Tables and progress
/// are drawn with Spectre.Console when the stream is a terminal and NO_COLOR is not set; otherwise they are plain text
/// (stable columns separated by two spaces, one progress line per event).
/// </summary>
internal sealed class CliConsole
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public CliConsole(TextWriter stdout, TextWriter stderr, bool richOut, bool richErr)
    {
        Out = stdout;
        Err = stderr;
        RichOut = richOut;
        RichErr = richErr;
    }

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Err { get; }

    /// <summary>Draw tables with Spectre.Console.</summary>
    public bool RichOut { get; }

    /// <summary>Draw live progress with Spectre.Console.</summary>
    public bool RichErr { get; }

    /// <summary>Decides rich or plain output for the process's own console.</summary>
    public static CliConsole For(TextWriter stdout, TextWriter stderr)
    {
        var color = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) && Environment.GetEnvironmentVariable("TERM") is not "dumb";
        return new CliConsole(
            stdout,
            stderr,
            color && ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected,
            color && ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
    }

    public Task LineAsync(string text) => Out.WriteLineAsync(text);

    public Task ErrorAsync(string text) => Err.WriteLineAsync(text);

    public Task WriteJsonAsync(object? value) => Out.WriteLineAsync(JsonSerializer.Serialize(value, Json));

    public Task WriteJsonAsync(System.Text.Json.Nodes.JsonNode value) => Out.WriteLineAsync(value.ToJsonString(Json));

    /// <summary>Writes a table: Spectre.Console's on a terminal, else plain columns.</summary>
    public async Task WriteTableAsync(string[] headers, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        if (RichOut)
        {
            RichTable.Write(Out, headers, all);
            return;
        }

        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        await Out.WriteLineAsync(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd()).ConfigureAwait(false);
        foreach (var r in all)
        {
            await Out.WriteLineAsync(string.Join("  ", r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd()).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <c>key: value</c> lines.</summary>
    public async Task WriteFieldsAsync(IEnumerable<(string Key, string? Value)> fields)
    {
        var list = fields.Where(f => f.Value is not null).ToList();
        var width = list.Count == 0 ? 0 : list.Max(f => f.Key.Length) + 2;
        foreach (var (key, value) in list)
        {
            await Out.WriteLineAsync((key + ":").PadRight(width) + value).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs deployments with their progress shown: none for JSON, a live view of each deployment's resource events on a
    /// terminal (a progress bar when <paramref name="total"/> deployments are expected), else one line per event.
    /// </summary>
    public async Task<T> WithProgressAsync<T>(bool json, int? total, Func<IProgress<DeploymentProgress>?, Task<T>> run)
    {
        if (json)
        {
            return await run(null).ConfigureAwait(false);
        }

        if (RichErr)
        {
            return await RichProgress.RunAsync(Err, total, run).ConfigureAwait(false);
        }

        return await run(new PlainProgress(Err)).ConfigureAwait(false);
    }
}
