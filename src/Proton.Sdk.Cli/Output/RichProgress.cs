using Proton.Sdk.Platform;
using Spectre.Console;

namespace Proton.Sdk.Cli.Output;

/// <summary>Spectre.Console progress on a terminal: a live table of each deployment's resource events, or a bar for a fleet upgrade.</summary>
internal static class RichProgress
{
    public static async Task<T> RunAsync<T>(TextWriter writer, int? total, Func<IProgress<DeploymentProgress>?, Task<T>> run)
    {
        var console = RichConsoles.Create(writer);
        T result = default!;
        if (total is { } count)
        {
            await console.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask($"upgrading {count} resource(s)", maxValue: Math.Max(count, 1));
                    result = await run(new BarProgress(task)).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
            return result;
        }

        var view = new EventView();
        await console.Live(view.Render()).AutoClear(false).StartAsync(async ctx =>
        {
            view.Context = ctx;
            result = await run(view).ConfigureAwait(false);
            ctx.UpdateTarget(view.Render());
        }).ConfigureAwait(false);
        return result;
    }

    /// <summary>Advances the bar when a deployment reports its outcome (its last report, without a resource event).</summary>
    private sealed class BarProgress(ProgressTask task) : IProgress<DeploymentProgress>
    {
        private readonly HashSet<string> _started = [];

        public void Report(DeploymentProgress value)
        {
            lock (_started)
            {
                if (value.Event is not null)
                {
                    return;
                }

                if (!_started.Add(value.DeploymentId))
                {
                    task.Increment(1);
                }

                task.Description = Markup.Escape($"{value.Target}: {value.Message}");
            }
        }
    }

    /// <summary>The last events of each deployment, redrawn on every report.</summary>
    private sealed class EventView : IProgress<DeploymentProgress>
    {
        private const int EventsPerTarget = 8;
        private readonly Dictionary<string, (string Status, List<string[]> Events)> _targets = new(StringComparer.Ordinal);

        public LiveDisplayContext? Context { get; set; }

        public void Report(DeploymentProgress value)
        {
            lock (_targets)
            {
                if (!_targets.TryGetValue(value.Target, out var entry))
                {
                    entry = (value.Message, []);
                }

                if (value.Event is { } e)
                {
                    entry.Events.Add([e.Resource, e.ResourceType, e.EngineStatus ?? e.Status.ToString(), e.Reason ?? string.Empty]);
                    if (entry.Events.Count > EventsPerTarget)
                    {
                        entry.Events.RemoveAt(0);
                    }
                }
                else
                {
                    entry.Status = value.Message;
                }

                _targets[value.Target] = entry;
                Context?.UpdateTarget(Render());
            }
        }

        public Table Render()
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("TARGET", "RESOURCE", "TYPE", "STATUS", "REASON");
            foreach (var (target, (status, events)) in _targets)
            {
                table.AddRow(new Text(target, new Style(decoration: Decoration.Bold)), new Text(status), Text.Empty, Text.Empty, Text.Empty);
                foreach (var e in events)
                {
                    table.AddRow(Text.Empty, new Text(e[0]), new Text(e[1]), new Text(e[2], RichConsoles.StyleFor(e[2])), new Text(e[3]));
                }
            }

            return table;
        }
    }
}
