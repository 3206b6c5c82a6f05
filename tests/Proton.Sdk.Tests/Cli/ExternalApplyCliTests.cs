using System.Text.RegularExpressions;

namespace Proton.Sdk.Tests.Cli;

/// <summary>
/// <c>--terraform-repository</c> (Proton's pull-request mode) from the command line: what <c>proton service update</c> prints
/// while its new instances wait, and what <c>proton deployments notify</c> sets going. No terraform runs in this mode.
/// </summary>
public sealed partial class ExternalApplyCliTests : IDisposable
{
    private const string Manifest = "infrastructure:\n  templates:\n    - file: \"*\"\n      rendering_engine: hcl\n      template_language: terraform\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("proton-cli-external-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Store => Path.Combine(_dir, "store");

    private string Repo => Path.Combine(_dir, "repo");

    private Task<(int Exit, string Out, string Err)> Run(params string[] args) => CliRunner.Run([.. args, "--store", Store]);

    private async Task<string> Ok(params string[] args)
    {
        var (exit, stdout, stderr) = await Run(args);
        Assert.True(exit == 0, $"proton {string.Join(' ', args)} exited {exit}\n{stdout}\n{stderr}");
        return stdout;
    }

    private async Task<string> File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await System.IO.File.WriteAllTextAsync(path, text);
        return path;
    }

    /// <summary>The deployment ids the output tells the user to notify.</summary>
    private static List<string> Waiting(string stdout) => NotifyHint().Matches(stdout).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task ServiceUpdate_PrintsTheWaitingInstancesAndService_ThenNotifyPrintsThePipelineRedeployAndTheActiveService()
    {
        Directory.CreateDirectory(Repo);
        await File("env/schema/schema.yaml", Infrastructure.TestSchemas.Environment("who:\n  type: string\n  default: world"));
        await File("env/infrastructure/manifest.yaml", Manifest);
        await File("env/infrastructure/main.tf", "output \"Greeting\" {\n  value = \"hello-${var.environment.inputs.who}\"\n}\n");
        await File("svc/schema/schema.yaml", "schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: \"SvcInput\"\n  pipeline_input_type: \"PipeInput\"\n  types:\n    SvcInput:\n      type: object\n      properties:\n        port:\n          type: number\n          default: 80\n    PipeInput:\n      type: object\n      properties:\n        cmd:\n          type: string\n          default: make\n");
        await File("svc/instance_infrastructure/manifest.yaml", Manifest);
        await File("svc/instance_infrastructure/main.tf", "output \"Url\" {\n  value = \"${var.environment.outputs.Greeting}/${var.service_instance.name}\"\n}\n");
        await File("svc/pipeline_infrastructure/manifest.yaml", Manifest);
        await File("svc/pipeline_infrastructure/main.tf", "output \"Targets\" {\n  value = join(\",\", [for i in var.service_instances : i.outputs.Url])\n}\n");
        var one = await File("one.yaml", "proton: ServiceSpec\npipeline:\n  cmd: make\ninstances:\n  - name: a\n    environment: dev\n    spec: {}\n");
        var two = await File("two.yaml", "proton: ServiceSpec\ninstances:\n  - name: a\n    environment: dev\n    spec: {}\n  - name: b\n    environment: dev\n    spec: {}\n");
        await Ok("template", "create", "tf-env", "--kind", "environment");
        await Ok("template", "create", "tf-svc", "--kind", "service");
        await Ok("template", "register", "tf-env", Path.Combine(_dir, "env"));
        await Ok("template", "register", "tf-svc", Path.Combine(_dir, "svc"), "--compatible", "tf-env:1");
        await Ok("template", "publish", "tf-env", "1.0.0");
        await Ok("template", "publish", "tf-svc", "1.0.0");
        var env = Waiting(await Ok("env", "create", "dev", "--template", "tf-env", "--terraform-repository", Repo));
        await Ok("deployments", "notify", Assert.Single(env), "--status", "succeeded", "--outputs", await File("env-out.json", "{\"Greeting\":\"hello-world\"}"), "--terraform-repository", Repo);
        var created = Waiting(await Ok("service", "create", "web", "--template", "tf-svc", "--spec", one, "--terraform-repository", Repo));
        var pipeline = Waiting(await Ok("deployments", "notify", Assert.Single(created), "--status", "succeeded", "--outputs", await File("a-out.json", "{\"Url\":\"url-a\"}"), "--terraform-repository", Repo));
        await Ok("deployments", "notify", Assert.Single(pipeline), "--status", "succeeded", "--terraform-repository", Repo);

        var update = await Ok("service", "update", "web", "--spec", two, "--terraform-repository", Repo);

        Assert.Contains("AwaitingExternalApply", update, StringComparison.Ordinal);
        Assert.Contains("web/b waits for an external apply: report it with `proton deployments notify ", update, StringComparison.Ordinal);
        Assert.Contains("service web: UpdateInProgress - waiting for the external apply of web/b", update, StringComparison.Ordinal);
        var busy = await Run("service", "update", "web", "--spec", one, "--terraform-repository", Repo);
        Assert.Equal(1, busy.Exit);
        Assert.Contains("platform.conflict", busy.Err, StringComparison.Ordinal);

        var notified = await Ok("deployments", "notify", Assert.Single(Waiting(update)), "--status", "succeeded", "--outputs", await File("b-out.json", "{\"Url\":\"url-b\"}"), "--terraform-repository", Repo);

        var redeploy = Assert.Single(Waiting(notified)); // the pipeline, redeployed once with b, waits for its own apply
        Assert.Contains("web waits for an external apply", notified, StringComparison.Ordinal);
        Assert.Contains("service web: Active", notified, StringComparison.Ordinal);
        var tfvars = await System.IO.File.ReadAllTextAsync(Path.Combine(Repo, "pipelines", "web", "proton.auto.tfvars.json"));
        Assert.Contains("url-a", tfvars, StringComparison.Ordinal);
        Assert.Contains("url-b", tfvars, StringComparison.Ordinal);
        Assert.NotEqual(Assert.Single(pipeline), redeploy);
    }

    [GeneratedRegex(@"proton deployments notify ([es]\.\S+) --status")]
    private static partial Regex NotifyHint();
}
