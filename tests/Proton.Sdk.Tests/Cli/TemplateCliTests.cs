using System.Diagnostics;
using Proton.Sdk.Cli;
using Proton.Sdk.Storage;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Tests.Cli;

public sealed class TemplateCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proton-tpl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Store => Path.Combine(_dir, "store");

    private static Task<(int Exit, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    private string WriteBundle(string name, string resource, string properties = "name:\n  type: string\n  default: dev")
    {
        var dir = Path.Combine(_dir, name);
        var source = Versioning.TemplateRegistryTests.Env(properties, "[]", resource);
        foreach (var file in source.ReadFilesAsync(Proton.Sdk.Templates.BundleOptions.Default).AsTask().Result)
        {
            var path = Path.Combine(dir, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, file.Content.ToArray());
        }

        return dir;
    }

    [Fact]
    public async Task TemplateCommands_CreateRegisterPublishShowDelete()
    {
        var v1 = WriteBundle("v1", "A");
        var breaking = WriteBundle("v2", "A", "other:\n  type: string\n  default: x");

        Assert.Equal(0, (await Run("template", "create", "env", "--kind", "environment", "--store", Store)).Exit);
        var (exit, output, _) = await Run("template", "register", "env", v1, "--store", Store);
        Assert.Equal((0, "env 1.0.0 registered as draft (first version)\n"), (exit, output));

        var refused = await Run("template", "register", "env", breaking, "--version", "1.1.0", "--store", Store);
        Assert.Equal(1, refused.Exit);
        Assert.StartsWith("registry.bump-too-small:", refused.Err, StringComparison.Ordinal);
        Assert.Contains("environment.name: input 'name' was removed", refused.Err, StringComparison.Ordinal);

        Assert.Equal("env 2.0.0 registered as draft (major schema change from 1.0.0)\n", (await Run("template", "register", "env", breaking, "--store", Store)).Out);
        Assert.Equal("env 1.0.0 published\n", (await Run("template", "publish", "env", "1.0.0", "--store", Store)).Out);
        var show = (await Run("template", "show", "env", "--store", Store)).Out;
        Assert.StartsWith("env (environment) recommended=1.0.0", show, StringComparison.Ordinal);
        Assert.Contains("2.0.0", show, StringComparison.Ordinal);
        Assert.Contains("env", (await Run("template", "list", "--store", Store)).Out, StringComparison.Ordinal);
        Assert.Equal(1, (await Run("template", "delete", "env", "--store", Store)).Exit);
        Assert.Equal(0, (await Run("template", "delete", "env", "2.0.0", "--store", Store)).Exit);
        Assert.Equal(2, (await Run("template", "frobnicate", "--store", Store)).Exit);
        Assert.Equal(2, (await Run("template", "create", "x", "--kind", "widget", "--store", Store)).Exit);
    }

    [Fact]
    public async Task Register_FourProcessesAtOnce_EveryVersionDistinctAndNoneLost()
    {
        Assert.Equal(0, (await Run("template", "create", "env", "--kind", "environment", "--store", Store)).Exit);
        var cli = Path.Combine(AppContext.BaseDirectory, "proton.dll");
        Assert.True(File.Exists(cli), cli);
        var bundles = Enumerable.Range(0, 4).SelectMany(p => Enumerable.Range(0, 3).Select(i => (p, path: WriteBundle($"p{p}-{i}", $"R{p}x{i}")))).ToList();

        // Each process registers its three bundles in turn; the four processes run at the same time against one store.
        var processes = Enumerable.Range(0, 4).Select(p =>
        {
            var script = string.Join(" && ", bundles.Where(b => b.p == p).Select(b => $"dotnet \"{cli}\" template register env \"{b.path}\" --store \"{Store}\""));
            var psi = new ProcessStartInfo("/bin/sh", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
            return Process.Start(psi)!;
        }).ToList();
        foreach (var process in processes)
        {
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, stderr);
        }

        var versions = await new TemplateRegistry(new FileSystemProtonStore(Store)).ListVersionsAsync("env");
        Assert.Equal(12, versions.Count);
        Assert.Equal(12, versions.Select(v => v.ContentHash).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"1.0.{i}"), versions.Select(v => v.Version));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Store, "records"), "*.json", SearchOption.AllDirectories))
        {
            using var _ = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(file));
        }
    }

    [Fact]
    public async Task Register_WriterKilledMidway_StoreStillLoads()
    {
        Assert.Equal(0, (await Run("template", "create", "env", "--kind", "environment", "--store", Store)).Exit);
        var cli = Path.Combine(AppContext.BaseDirectory, "proton.dll");
        var paths = Enumerable.Range(0, 20).Select(i => WriteBundle($"k{i}", $"K{i}")).ToList();
        var script = string.Join(" ; ", paths.Select(p => $"dotnet \"{cli}\" template register env \"{p}\" --store \"{Store}\""));
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", script]))!;

        // Kill the writer once it has written at least one version, so that it dies while registering a later one.
        var versionsFolder = Path.Combine(Store, "records", "versions");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(Directory.Exists(versionsFolder) && Directory.EnumerateFiles(versionsFolder, "*.json").Any()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        var versions = await new TemplateRegistry(new FileSystemProtonStore(Store)).ListVersionsAsync("env");

        Assert.NotEmpty(versions);
        Assert.True(versions.Count < paths.Count, "the writer was killed before it registered every bundle");
        Assert.Equal(versions.Count, versions.Select(v => v.Version).Distinct().Count());
        Assert.All(versions, v => Assert.StartsWith("1.0.", v.Version, StringComparison.Ordinal));
    }
}
