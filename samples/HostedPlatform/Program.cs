// Proton.Sdk generic-host sample: everything wired through DI from configuration (offline by default).
// Configuration comes as in any .NET host: appsettings.json (beside the program), then environment variables
// (Proton__Store=s3), then the command line (--Proton:Store=s3); a later source wins.
// Switch "Proton:Provisioner" to "cloudformation" and "Proton:Store" to "s3" (with Proton:Aws settings) to run on AWS.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Proton.Sdk.Hosting;
using Proton.Sdk.Platform;
using Proton.Sdk.Templates;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddProtonSdk(builder.Configuration.GetSection("Proton"))
    .AddProtonAws(builder.Configuration.GetSection("Proton:Aws"));

using var host = builder.Build();
await host.StartAsync(); // options are validated here: a bad setting stops the host with the setting's name
var platform = host.Services.GetRequiredService<ProtonPlatform>();
var templates = Path.Combine(AppContext.BaseDirectory, "templates");

if (await platform.Registry.GetTemplateAsync("vpc-ecs-env") is null)
{
    await platform.Registry.CreateTemplateAsync("vpc-ecs-env", TemplateKind.Environment);
    var v = await platform.Registry.RegisterVersionAsync("vpc-ecs-env", new DirectoryBundleSource(Path.Combine(templates, "vpc-ecs-env", "v1")));
    await platform.Registry.PublishAsync("vpc-ecs-env", v.Version.Version);
}

var env = await platform.GetEnvironmentAsync("dev");
var deployment = env is null
    ? await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "vpc-ecs-env" })
    : await platform.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion });
Console.WriteLine($"environment dev: {deployment!.Status} ({deployment.StatusMessage}) with the {platform.Provisioner.Name} provisioner and the {builder.Configuration["Proton:Store"]} store");
Console.WriteLine($"deployments so far: {(await platform.ListDeploymentsAsync("dev")).Count}");
await host.StopAsync();
