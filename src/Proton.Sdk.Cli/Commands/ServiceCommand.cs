using System.CommandLine;
using Proton.Sdk.Platform;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Cli.Commands;

/// <summary><c>proton service ...</c>: services, their instances and pipelines.</summary>
internal static class ServiceCommand
{
    public static Command Build(CliOptions o, ActionBinder bind)
    {
        var service = new Command("service", "Create, update, delete and look at services, their instances and pipelines");
        service.Subcommands.Add(Create(o, bind));
        service.Subcommands.Add(Update(o, bind));
        service.Subcommands.Add(Delete(o, bind));
        service.Subcommands.Add(List(o, bind));
        service.Subcommands.Add(Show(o, bind));
        return service;
    }

    private static async Task<ServiceSpec> SpecAsync(CliSession s, string path)
        => await SpecCommand.ReadAsync(s, path).ConfigureAwait(false) as ServiceSpec
            ?? throw new CliException($"{path}: error cli.spec-kind: an environment spec; a service spec ('proton: ServiceSpec') is needed");

    private static Command Create(CliOptions o, ActionBinder bind)
    {
        var command = new Command("create", "Create a service: deploy its instances, then its pipeline");
        var name = CliOptions.Name("name", "The service");
        var template = CliOptions.NameOption("--template", "The service template", required: true);
        var version = CliOptions.VersionOption("--version", "The template version [default: the recommended one]");
        var spec = CliOptions.PathOption("--spec", "The service spec (proton: ServiceSpec)", required: true);
        var repository = new Option<string?>("--repository") { Description = "The source repository (owner/repo) for the pipeline", HelpName = "owner/repo" };
        var branch = new Option<string?>("--branch") { Description = "The repository branch", HelpName = "branch" };
        var connection = new Option<string?>("--connection") { Description = "The repository connection ARN", HelpName = "arn" };
        var description = new Option<string?>("--description") { Description = "A description", HelpName = "text" };
        command.Arguments.Add(name);
        foreach (var option in new Option[] { template, version, spec, repository, branch, connection, description })
        {
            command.Options.Add(option);
        }

        o.AddPlatform(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var serviceSpec = await SpecAsync(s, s.Value(spec)!).ConfigureAwait(false);
            var platform = s.OpenPlatform();
            var r = await s.Console.WithProgressAsync(s.Json, null, p => platform.CreateServiceAsync(new CreateServiceRequest
            {
                Name = s.Value(name),
                TemplateName = s.Value(template),
                TemplateVersion = s.Value(version),
                Spec = serviceSpec,
                RepositoryId = s.Value(repository),
                BranchName = s.Value(branch),
                RepositoryConnectionArn = s.Value(connection),
                Description = s.Value(description),
            }, p, s.CancellationToken)).ConfigureAwait(false);
            return await DeploymentOutput.ReportAsync(s, r.Deployments, r).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Update(CliOptions o, ActionBinder bind)
    {
        var command = new Command("update", "With --spec alone: add and remove instances and redeploy the pipeline; with --instance or --pipeline: update one of them");
        var name = CliOptions.Name("name", "The service");
        var instance = CliOptions.NameOption("--instance", "Update this instance", required: false);
        var pipeline = new Option<bool>("--pipeline") { Description = "Update the pipeline" };
        var type = EnvironmentCommand.UpdateTypeOption(required: false);
        var version = CliOptions.VersionOption("--version", "The version to move to (minor/major) [default: the newest allowed]");
        var spec = CliOptions.PathOption("--spec", "The service spec (proton: ServiceSpec)");
        command.Arguments.Add(name);
        foreach (var option in new Option[] { instance, pipeline, type, version, spec })
        {
            command.Options.Add(option);
        }

        o.AddPlatform(command);
        command.Options.Add(o.Output);
        command.Validators.Add(r =>
        {
            var one = r.GetResult(instance) is not null;
            var pipe = r.GetValue(pipeline);
            if (one && pipe)
            {
                r.AddError("give --instance or --pipeline, not both");
            }
            else if (one || pipe)
            {
                if (r.GetResult(type) is null)
                {
                    r.AddError($"service update {(one ? "--instance" : "--pipeline")} needs --type current|minor|major");
                }
            }
            else if (r.GetResult(spec) is null)
            {
                r.AddError("service update needs --spec, --instance or --pipeline");
            }
            else if (r.GetResult(type) is not null || r.GetResult(version) is not null)
            {
                r.AddError("--type and --version go with --instance or --pipeline");
            }
        });
        bind(command, async s =>
        {
            var serviceName = s.Value(name);
            var specPath = s.Value(spec);
            var instanceName = s.Value(instance);
            var platform = s.OpenPlatform();
            if (instanceName is null && !s.Value(pipeline))
            {
                var whole = await SpecAsync(s, specPath!).ConfigureAwait(false);
                var r = await s.Console.WithProgressAsync(s.Json, null, p => platform.UpdateServiceAsync(serviceName, whole, p, s.CancellationToken)).ConfigureAwait(false);
                var code = await DeploymentOutput.ReportAsync(s, r.Deployments, r).ConfigureAwait(false);
                if (!s.Json && r.Service is { PendingUpdate: not null } waiting)
                {
                    await s.Console.LineAsync(DeploymentOutput.ServiceLine(waiting)).ConfigureAwait(false);
                }

                return code;
            }

            var given = specPath is null ? null : await SpecAsync(s, specPath).ConfigureAwait(false);
            IReadOnlyDictionary<string, object?>? inputs = instanceName is null
                ? given?.Pipeline
                : given is null ? null : (given.Instances.FirstOrDefault(i => i.Name == instanceName) ?? throw new CliException($"{specPath}: error cli.spec-instance: no instance {instanceName} in this spec")).Spec;
            var request = new UpdateRequest { UpdateType = EnvironmentCommand.UpdateType(s.Value(type)), TemplateVersion = s.Value(version), Inputs = inputs };
            var d = await s.Console.WithProgressAsync(s.Json, null, p => instanceName is null
                ? platform.UpdateServicePipelineAsync(serviceName, request, p, s.CancellationToken)
                : platform.UpdateServiceInstanceAsync(serviceName, instanceName, request, p, s.CancellationToken)).ConfigureAwait(false);
            if (d is null)
            {
                await s.Console.LineAsync($"service {serviceName}: nothing deployed").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            return await DeploymentOutput.ReportAsync(s, [d]).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Delete(CliOptions o, ActionBinder bind)
    {
        var command = new Command("delete", "Delete a service: its pipeline, then its instances");
        var name = CliOptions.Name("name", "The service");
        command.Arguments.Add(name);
        o.AddPlatform(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var platform = s.OpenPlatform();
            var r = await s.Console.WithProgressAsync(s.Json, null, p => platform.DeleteServiceAsync(s.Value(name), p, s.CancellationToken)).ConfigureAwait(false);
            return await DeploymentOutput.ReportAsync(s, r.Deployments, r).ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(CliOptions o, ActionBinder bind)
    {
        var command = new Command("list", "List services with their instances and pipelines");
        o.AddStore(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var platform = s.OpenPlatform();
            var services = await platform.ListServicesAsync(s.CancellationToken).ConfigureAwait(false);
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(services).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var rows = new List<string[]>();
            foreach (var service in services)
            {
                foreach (var i in await platform.ListServiceInstancesAsync(service.Name, s.CancellationToken).ConfigureAwait(false))
                {
                    rows.Add([service.Name, service.Status.ToString(), i.Name, i.EnvironmentName, $"{i.TemplateName} {i.TemplateVersion}", i.DeploymentStatus.ToString()]);
                }

                if (service.Pipeline is { } p)
                {
                    rows.Add([service.Name, service.Status.ToString(), "(pipeline)", "-", $"{p.TemplateName} {p.TemplateVersion}", p.DeploymentStatus.ToString()]);
                }
            }

            await s.Console.WriteTableAsync(["SERVICE", "STATUS", "INSTANCE", "ENVIRONMENT", "VERSION", "DEPLOYMENT"], rows).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliOptions o, ActionBinder bind)
    {
        var command = new Command("show", "Show a service, its instances and its pipeline");
        var name = CliOptions.Name("name", "The service");
        command.Arguments.Add(name);
        o.AddStore(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var platform = s.OpenPlatform();
            var service = await platform.GetServiceAsync(s.Value(name), s.CancellationToken).ConfigureAwait(false)
                ?? throw new PlatformException(PlatformErrorCodes.NotFound, $"No service {s.Value(name)}.");
            var instances = await platform.ListServiceInstancesAsync(service.Name, s.CancellationToken).ConfigureAwait(false);
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(new { service, instances }).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await s.Console.WriteFieldsAsync(
            [
                ("service", service.Name), ("template", service.TemplateName), ("status", service.Status.ToString()), ("message", service.StatusMessage),
                ("description", service.Description), ("repository", service.RepositoryId), ("branch", service.BranchName), ("created", DeploymentOutput.Time(service.CreatedAt)),
            ]).ConfigureAwait(false);
            foreach (var i in instances)
            {
                await s.Console.LineAsync(string.Empty).ConfigureAwait(false);
                await s.Console.WriteFieldsAsync([("instance", i.Name), ("environment", i.EnvironmentName), .. DeploymentOutput.Fields(i)]).ConfigureAwait(false);
            }

            if (service.Pipeline is { } pipeline)
            {
                await s.Console.LineAsync(string.Empty).ConfigureAwait(false);
                await s.Console.WriteFieldsAsync([("pipeline", service.Name), .. DeploymentOutput.Fields(pipeline)]).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
