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
        if (args.Length == 0)
        {
            // No command: the overview on stderr, and a usage error.
            await BuildTree(console, args).Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = stderr, Error = stderr }, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var root = BuildTree(console, args);
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

    /// <summary>
    /// The command tree. Building it does no I/O: stores and platforms open only in the action that needs them. Only the
    /// top-level command that <paramref name="args"/> name is built in full (the others are names and descriptions, enough
    /// for the root's help and suggestions), so a command does not pay start-up time for the rest of the tree.
    /// </summary>
    internal static RootCommand BuildTree(CliConsole console, IReadOnlyList<string>? args = null)
    {
        var o = new CliOptions();
        void Bind(Command command, Func<CliSession, Task<int>> action)
            => command.SetAction((parse, token) => RunActionAsync(new CliSession(parse, o, console, token), action));

        (string Name, string Description, Func<Command> Build)[] commands =
        [
            ("bundle", "Look into a template bundle", () => BundleCommand.Build(o, Bind)),
            ("render", "Render one template file with a JSON context (Proton's Jinja dialect or Scriban)", () => RenderCommand.Build(Bind)),
            ("schema", "Compare parameter schemas", () => SchemaCommand.Build(o, Bind)),
            ("spec", "Check spec files against a bundle's schema", () => SpecCommand.Build(o, Bind)),
            ("template", "Register, publish and list template versions", () => TemplateCommand.Build(o, Bind)),
            ("env", "Create, update, import, delete and look at environments", () => EnvironmentCommand.Build(o, Bind)),
            ("service", "Create, update, delete and look at services, their instances and pipelines", () => ServiceCommand.Build(o, Bind)),
            ("deployments", "List, show, cancel and notify deployments", () => DeploymentsCommand.Build(o, Bind)),
            ("rollback", "Deploy the state an earlier deployment started from again", () => DeploymentsCommand.Rollback(o, Bind)),
            ("reconcile", "Complete deployments left in progress by a process that stopped, from the stacks' real state", () => DeploymentsCommand.Reconcile(o, Bind)),
            ("summary", "Count the resources on each template: up to date, behind a minor or a major, failed", () => FleetCommand.Summary(o, Bind)),
            ("upgrade", "Plan and run the upgrade of every resource on a template to a version", () => FleetCommand.Upgrade(o, Bind)),
            ("store", "Create a store, repair its index", () => StoreCommand.Build(o, Bind)),
            ("migrate", "Take over the stacks AWS Proton made, in place: discover, prove by rendering, adopt", () => MigrateCommand.Build(o, Bind)),
            ("policy", "The IAM policy a bundle or registered template needs to be provisioned", () => PolicyCommand.Build(o, Bind)),
            ("completion", "Print a shell completion script: eval \"$(proton completion bash)\"", CompletionCommand.Build),
        ];

        // Directives ([suggest]) and response files (@file) can name any command: build everything for them.
        var first = args is { Count: > 0 } && !args[0].StartsWith('[') && !args[0].StartsWith('@') ? args[0] : null;
        var buildAll = args is null || (first is null && args.Count > 0);
        var root = new RootCommand("proton: AWS Proton's model as a command line (Proton.Sdk). Exit codes: 0 success, 1 invalid input or failed deployment, 2 usage error, 130 cancelled.")
        {
            HelpName = "proton",
        };
        foreach (var (name, description, build) in commands)
        {
            var command = buildAll || name == first ? build() : new Command(name);
            command.Description = description;
            root.Subcommands.Add(command);
        }

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
            // AWS SDK errors (no credentials, an endpoint that refuses) are named as such; anything else is cli.failed.
            var code = ex.GetType().Namespace?.StartsWith("Amazon", StringComparison.Ordinal) == true ? "cli.aws" : "cli.failed";
            await stderr.WriteLineAsync($"proton: error {code}: {ex.Message}").ConfigureAwait(false);
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
