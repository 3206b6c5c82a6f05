using System.Diagnostics;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Cli;

/// <summary>
/// A work folder for the bad-input table: a store with a published environment template and an environment, and input
/// files of every awkward kind (empty, binary, a folder, a FIFO, JSON of the wrong shape) beside it.
/// </summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public string Work { get; } = Directory.CreateTempSubdirectory("proton-bad-").FullName;

    public string Store => Path.Combine(Work, "store");

    public string Bundle => Path.Combine(Corpus.RepoRoot, "samples", "templates", "vpc-ecs-env", "v1");

    public string Spec => Path.Combine(Corpus.RepoRoot, "samples", "templates", "specs", "env-spec.yaml");

    public string? Fifo { get; private set; }

    public string DeploymentId { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await Ok("template", "create", "env", "--kind", "environment", "--store", Store);
        await Ok("template", "register", "env", Bundle, "--store", Store);
        await Ok("template", "publish", "env", "1.0.0", "--store", Store);
        await Ok("env", "create", "dev", "--template", "env", "--spec", Spec, "--store", Store);
        var list = await CliRunner.Run("deployments", "list", "--output", "json", "--store", Store);
        using (var doc = System.Text.Json.JsonDocument.Parse(list.Out))
        {
            DeploymentId = doc.RootElement[0].GetProperty("id").GetString()!;
        }

        Directory.CreateDirectory(Path.Combine(Work, "folder"));
        Directory.CreateDirectory(Path.Combine(Work, "empty-folder"));
        await File.WriteAllTextAsync(Path.Combine(Work, "empty"), string.Empty);
        await File.WriteAllBytesAsync(Path.Combine(Work, "binary"), [0x1f, 0x8b, 0x00, 0xff, 0xfe, 0x00, 0x01, 0x02, 0xc3, 0x28]);
        await File.WriteAllTextAsync(Path.Combine(Work, "statement.json"), """{"Statement":"x"}""");
        await File.WriteAllTextAsync(Path.Combine(Work, "action5.json"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":5,"Resource":"*"}]}""");
        await File.WriteAllTextAsync(Path.Combine(Work, "array.json"), "[1,2,3]");
        await File.WriteAllTextAsync(Path.Combine(Work, "nested.json"), """{"a":{"b":1}}""");
        await File.WriteAllTextAsync(Path.Combine(Work, "svc-spec.yaml"), "proton: ServiceSpec\ninstances:\n  - name: a\n    environment: dev\n    spec: {}\n");
        await File.WriteAllTextAsync(Path.Combine(Work, "not-yaml.yaml"), "proton: [unclosed\n  : - {\n");
        await File.WriteAllTextAsync(Path.Combine(Work, "bad-version.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(Work, "template.yaml"), "Resources: {}\n");
        await File.WriteAllTextAsync(Path.Combine(Work, "context.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(Work, "mapping-context.json"), """{"environment":{"inputs":{"x":{"y":[1,{"z":2}]}}}}""");
        if (!OperatingSystem.IsWindows())
        {
            var fifo = Path.Combine(Work, "fifo");
            using var mkfifo = Process.Start("mkfifo", [fifo]);
            await mkfifo.WaitForExitAsync();
            Fifo = mkfifo.ExitCode == 0 ? fifo : null;
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Work, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task Ok(params string[] args)
    {
        var (exit, stdout, stderr) = await CliRunner.Run(args);
        Assert.True(exit == 0, $"proton {string.Join(' ', args)} exited {exit}\n{stdout}\n{stderr}");
    }
}
