using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text.Json;
using Proton.Sdk.Cli.Commands;
using Proton.Sdk.Cli.Output;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Cli;

/// <summary>
/// The <c>proton</c> command line over the public API of Proton.Sdk and Proton.Sdk.Aws. Exit codes: 0 success, 1 invalid
/// input or a deployment that did not succeed, 2 usage error, 130 cancelled.
/// </summary>
internal static class ProtonCli
{
    /// <summary>Runs one command line; tests call this in process with their own writers.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["help", .. var rest])
        {
            args = [.. rest, "--help"];
        }

        var console = CliConsole.For(stdout, stderr);
        var root = BuildTree(console);
        var parse = root.Parse(args, new ParserConfiguration());
        if (parse.Action is ParseErrorAction error)
        {
            error.ShowHelp = false;
            error.ShowTypoCorrections = true;
            await parse.InvokeAsync(new InvocationConfiguration { Output = stderr, Error = stderr, ProcessTerminationTimeout = null }, cancellationToken).ConfigureAwait(false);
            await stderr.WriteLineAsync($"run '{CommandPath(parse.CommandResult.Command)} --help' for usage").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The command tree. Building it does no I/O: stores and platforms open only in the action that needs them.</summary>
    internal static RootCommand BuildTree(CliConsole console)
    {
        var o = new CliOptions();
        void Bind(Command command, Func<CliSession, Task<int>> action)
            => command.SetAction((parse, token) => RunActionAsync(new CliSession(parse, o, console, token), action));

        var root = new RootCommand("proton: AWS Proton's model as a command line (Proton.Sdk). Exit codes: 0 success, 1 invalid input or failed deployment, 2 usage error, 130 cancelled.");
        root.HelpName = "proton";
        root.Subcommands.Add(BundleCommand.Build(o, Bind));
        root.Subcommands.Add(RenderCommand.Build(Bind));
        root.Subcommands.Add(SchemaCommand.Build(o, Bind));
        root.Subcommands.Add(SpecCommand.Build(o, Bind));
        root.Subcommands.Add(TemplateCommand.Build(o, Bind));
        root.Subcommands.Add(EnvironmentCommand.Build(o, Bind));
        root.Subcommands.Add(ServiceCommand.Build(o, Bind));
        root.Subcommands.Add(DeploymentsCommand.Build(o, Bind));
        root.Subcommands.Add(DeploymentsCommand.Rollback(o, Bind));
        root.Subcommands.Add(DeploymentsCommand.Reconcile(o, Bind));
        root.Subcommands.Add(FleetCommand.Summary(o, Bind));
        root.Subcommands.Add(FleetCommand.Upgrade(o, Bind));
        root.Subcommands.Add(PolicyCommand.Build(o, Bind));
        root.Subcommands.Add(CompletionCommand.Build());
        return root;
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? c = command; c is Command cmd; c = cmd.Parents.FirstOrDefault())
        {
            names.Insert(0, c is RootCommand ? "proton" : cmd.Name);
        }

        return string.Join(' ', names);
    }

    /// <summary>Runs an action and turns every failure into a message and an exit code; no stack trace reaches the user.</summary>
    private static async Task<int> RunActionAsync(CliSession s, Func<CliSession, Task<int>> action)
    {
        var stderr = s.Console.Err;
        try
        {
            return await action(s).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (s.CancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("proton: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"proton: {ex.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync($"run '{CommandPath(s.Parse.CommandResult.Command)} --help' for usage").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (CliException ex)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.Invalid;
        }
        catch (ProtonValidationException ex)
        {
            foreach (var d in ex.Diagnostics)
            {
                await stderr.WriteLineAsync(InSpec(s.Spec, d).ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Invalid;
        }
        catch (ProtonException ex)
        {
            await stderr.WriteLineAsync($"{ex.ErrorCode}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Invalid;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"proton: error cli.io: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Invalid;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidDataException)
        {
            await stderr.WriteLineAsync($"proton: error cli.unreadable: something the command read is not in the form it expects: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Invalid;
        }
#pragma warning disable CA1031 // The command line's last line of defence: a message and exit 1, never a stack trace.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            await stderr.WriteLineAsync($"proton: error cli.failed: {ex.Message}").ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("PROTON_CLI_DEBUG") == "1")
            {
                await stderr.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Invalid;
        }
    }

    /// <summary>
    /// Places a validation failure in the spec file the command read (the platform reports it against the schema), so
    /// that every command gives the same <c>file:line:col</c> as <c>proton spec validate</c>.
    /// </summary>
    internal static Diagnostic InSpec(ProtonSpec? spec, Diagnostic d)
    {
        if (spec?.SourceFile is null || d.Path is null)
        {
            return d;
        }

        for (var p = d.Path; p.Length > 0;)
        {
            if (spec.Locations.TryGetValue(p, out var at))
            {
                return d with { File = spec.SourceFile, Line = at.Line, Column = at.Column };
            }

            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut > 0 ? p[..cut] : string.Empty;
        }

        return d;
    }
}
