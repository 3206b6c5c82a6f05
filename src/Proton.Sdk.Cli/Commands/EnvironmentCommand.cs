using System.CommandLine;
using System.Text.Json;
using Proton.Sdk.Platform;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Cli.Commands;

/// <summary><c>proton env ...</c>: environments.</summary>
internal static class EnvironmentCommand
{
    public static Command Build(CliOptions o, ActionBinder bind)
    {
        var env = new Command("env", "Create, update, import, delete and look at environments");
        env.Subcommands.Add(Create(o, bind));
        env.Subcommands.Add(Update(o, bind));
        env.Subcommands.Add(Import(o, bind));
        env.Subcommands.Add(Delete(o, bind));
        env.Subcommands.Add(List(o, bind));
        env.Subcommands.Add(Show(o, bind));
        return env;
    }

    /// <summary>The update type option: none, current, minor or major.</summary>
    public static Option<string> UpdateTypeOption(bool required)
    {
        var option = CliOptions.Choice("--type", "current", "Proton's deployment type: none (inputs only), current (same version), minor (newest minor of the major), major", "none", "current", "minor", "major");
        option.Required = required;
        option.DefaultValueFactory = null;
        return option;
    }

    public static DeploymentUpdateType UpdateType(string text) => text switch
    {
        "none" => DeploymentUpdateType.None,
        "minor" => DeploymentUpdateType.MinorVersion,
        "major" => DeploymentUpdateType.MajorVersion,
        _ => DeploymentUpdateType.CurrentVersion,
    };

    private static async Task<IReadOnlyDictionary<string, object?>?> InputsAsync(CliSession s, string? specPath)
    {
        if (specPath is null)
        {
            return null;
        }

        var spec = await SpecCommand.ReadAsync(s, specPath).ConfigureAwait(false);
        return spec is EnvironmentSpec e ? e.Spec : throw new CliException($"{specPath}: error cli.spec-kind: a service spec; an environment spec ('proton: EnvironmentSpec') is needed");
    }

    private static Command Create(CliOptions o, ActionBinder bind)
    {
        var command = new Command("create", "Create an environment from an environment template and deploy it");
        var name = CliOptions.Name("name", "The environment");
        var template = CliOptions.NameOption("--template", "The environment template", required: true);
        var version = CliOptions.VersionOption("--version", "The template version [default: the recommended one]");
        var spec = CliOptions.PathOption("--spec", "An environment spec (proton: EnvironmentSpec)");
        var description = new Option<string?>("--description") { Description = "A description", HelpName = "text" };
        command.Arguments.Add(name);
        command.Options.Add(template);
        command.Options.Add(version);
        command.Options.Add(spec);
        command.Options.Add(description);
        o.AddPlatform(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var inputs = await InputsAsync(s, s.Value(spec)).ConfigureAwait(false) ?? new Dictionary<string, object?>();
            var platform = s.OpenPlatform();
            var d = await s.Console.WithProgressAsync(s.Json, null, p => platform.CreateEnvironmentAsync(new CreateEnvironmentRequest
            {
                Name = s.Value(name),
                TemplateName = s.Value(template),
                TemplateVersion = s.Value(version),
                Inputs = inputs,
                AccountId = s.Maybe(o.AccountId),
                Description = s.Value(description),
            }, p, s.CancellationToken)).ConfigureAwait(false);
            return await DeploymentOutput.ReportAsync(s, [d]).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Update(CliOptions o, ActionBinder bind)
    {
        var command = new Command("update", "Update an environment's inputs or template version");
        var name = CliOptions.Name("name", "The environment");
        var type = UpdateTypeOption(required: true);
        var version = CliOptions.VersionOption("--version", "The version to move to (minor/major) [default: the newest allowed]");
        var spec = CliOptions.PathOption("--spec", "New inputs (proton: EnvironmentSpec); ${Proton::CURRENT_VAL} keeps a value");
        var description = new Option<string?>("--description") { Description = "A new description", HelpName = "text" };
        command.Arguments.Add(name);
        command.Options.Add(type);
        command.Options.Add(version);
        command.Options.Add(spec);
        command.Options.Add(description);
        o.AddPlatform(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var inputs = await InputsAsync(s, s.Value(spec)).ConfigureAwait(false);
            var platform = s.OpenPlatform();
            var request = new UpdateRequest { UpdateType = UpdateType(s.Value(type)), TemplateVersion = s.Value(version), Inputs = inputs, Description = s.Value(description), AccountId = s.Maybe(o.AccountId) };
            var d = await s.Console.WithProgressAsync(s.Json, null, p => platform.UpdateEnvironmentAsync(s.Value(name), request, p, s.CancellationToken)).ConfigureAwait(false);
            if (d is null)
            {
                await s.Console.LineAsync($"environment {s.Value(name)}: {(request.AccountId is null ? "description" : "account id and description")} recorded, nothing deployed").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            return await DeploymentOutput.ReportAsync(s, [d]).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Import(CliOptions o, ActionBinder bind)
    {
        var command = new Command("import", "Record an environment whose stack exists already (--stack), or a customer-managed one (--outputs)");
        var name = CliOptions.Name("name", "The environment");
        var template = CliOptions.NameOption("--template", "The environment template", required: true);
        var version = CliOptions.VersionOption("--version", "The template version [default: the recommended one]");
        var spec = CliOptions.PathOption("--spec", "The inputs the stack was made with (proton: EnvironmentSpec)");
        var stack = new Option<string?>("--stack") { Description = "The existing stack's name", HelpName = "name" };
        var outputs = CliOptions.PathOption("--outputs", "A JSON object of the environment's outputs (customer-managed provisioning)");
        command.Arguments.Add(name);
        command.Options.Add(template);
        command.Options.Add(version);
        command.Options.Add(spec);
        command.Options.Add(stack);
        command.Options.Add(outputs);
        o.AddPlatform(command);
        command.Options.Add(o.Output);
        command.Validators.Add(r =>
        {
            if ((r.GetResult(stack) is null) == (r.GetResult(outputs) is null))
            {
                r.AddError("env import takes either --stack or --outputs");
            }
        });
        bind(command, async s =>
        {
            Dictionary<string, string>? outputValues = null;
            if (s.Value(outputs) is { } outputsPath)
            {
                var text = await InputFiles.ReadTextAsync(outputsPath, s.CancellationToken).ConfigureAwait(false);
                try
                {
                    outputValues = JsonSerializer.Deserialize<Dictionary<string, string>>(text) ?? throw new JsonException("null");
                }
                catch (JsonException)
                {
                    throw new CliException($"{outputsPath}: error cli.outputs: expected a JSON object whose values are strings");
                }
            }

            var inputs = await InputsAsync(s, s.Value(spec)).ConfigureAwait(false) ?? new Dictionary<string, object?>();
            var d = await s.OpenPlatform().ImportEnvironmentAsync(new ImportEnvironmentRequest
            {
                Name = s.Value(name),
                TemplateName = s.Value(template),
                TemplateVersion = s.Value(version),
                Inputs = inputs,
                StackName = s.Value(stack),
                Outputs = outputValues,
                AccountId = s.Maybe(o.AccountId),
            }, s.CancellationToken).ConfigureAwait(false);
            return await DeploymentOutput.ReportAsync(s, [d]).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Delete(CliOptions o, ActionBinder bind)
    {
        var command = new Command("delete", "Delete an environment and its stack (refused while service instances run in it)");
        var name = CliOptions.Name("name", "The environment");
        command.Arguments.Add(name);
        o.AddPlatform(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var platform = s.OpenPlatform();
            var d = await s.Console.WithProgressAsync(s.Json, null, p => platform.DeleteEnvironmentAsync(s.Value(name), p, s.CancellationToken)).ConfigureAwait(false);
            return await DeploymentOutput.ReportAsync(s, [d]).ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(CliOptions o, ActionBinder bind)
    {
        var command = new Command("list", "List environments");
        o.AddStore(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var envs = await s.OpenPlatform().ListEnvironmentsAsync(s.CancellationToken).ConfigureAwait(false);
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(envs).ConfigureAwait(false);
            }
            else
            {
                await s.Console.WriteTableAsync(["ENVIRONMENT", "TEMPLATE", "VERSION", "STATUS", "PROVISIONING"], envs.Select(e => new[] { e.Name, e.TemplateName, e.TemplateVersion, e.DeploymentStatus.ToString(), e.Provisioning.ToString() })).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliOptions o, ActionBinder bind)
    {
        var command = new Command("show", "Show an environment");
        var name = CliOptions.Name("name", "The environment");
        command.Arguments.Add(name);
        o.AddStore(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var env = await s.OpenPlatform().GetEnvironmentAsync(s.Value(name), s.CancellationToken).ConfigureAwait(false)
                ?? throw new PlatformException(PlatformErrorCodes.NotFound, $"No environment {s.Value(name)}.");
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(env).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await s.Console.WriteFieldsAsync([("environment", env.Name), ("provisioning", env.Provisioning.ToString()), ("account", env.AccountId), .. DeploymentOutput.Fields(env)]).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
