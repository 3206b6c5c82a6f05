using System.IO.Compression;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Cli;

/// <summary>dotnet pack gives the libraries and the tool, with README, licence and symbols; the tool installs from the folder and runs.</summary>
public sealed class PackagingTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("proton-pack-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private static async Task<(int Exit, string Output)> Run(string file, params string[] args)
    {
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(file, args);
        return (exit, stdout + stderr);
    }

    [Fact]
    public async Task Pack_GivesLibrariesAndTool_AndTheToolInstallsAndRuns()
    {
        foreach (var project in new[] { "src/Proton.Sdk", "src/Proton.Sdk.Aws", "src/Proton.Sdk.Terraform", "src/Proton.Sdk.Cli" })
        {
            var (exit, output) = await Run("dotnet", "pack", project, "-c", "Release", "--no-build", "-o", _out);
            Assert.True(exit == 0, output);
        }

        foreach (var id in new[] { "Proton.Sdk", "Proton.Sdk.Aws", "Proton.Sdk.Terraform", "Proton.Sdk.Cli" })
        {
            Assert.True(File.Exists(Path.Combine(_out, $"{id}.0.1.0-preview.snupkg")), $"{id} has a symbols package");
            using var zip = ZipFile.OpenRead(Path.Combine(_out, $"{id}.0.1.0-preview.nupkg"));
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("README.md", entries);
            Assert.Contains("LICENSE", entries);
            if (id != "Proton.Sdk.Cli")
            {
                Assert.Contains($"lib/net8.0/{id}.dll", entries);
                Assert.Contains($"lib/net10.0/{id}.xml", entries);
            }
        }

        var tools = Path.Combine(_out, "tools");
        var install = await Run("dotnet", "tool", "install", "--tool-path", tools, "--add-source", _out, "Proton.Sdk.Cli", "--version", "0.1.0-preview");
        Assert.True(install.Exit == 0, install.Output);
        var inspect = await Run(Path.Combine(tools, "proton"), "bundle", "inspect", "samples/templates/vpc-ecs-env/v1");
        Assert.True(inspect.Exit == 0, inspect.Output);
        Assert.Contains("environment", inspect.Output, StringComparison.OrdinalIgnoreCase);
    }
}
