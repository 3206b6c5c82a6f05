using System.Text.Json;
using Proton.Sdk.Platform;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Platform;
using static Proton.Sdk.Tests.Platform.PlatformKit;

namespace Proton.Sdk.Tests.Cli;

/// <summary><c>proton store init</c> and <c>proton store repair-index</c> on folder stores (DynamoDB and S3: the integration tests).</summary>
public sealed class StoreCliTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("proton-store-cli-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Init_CreatesAFolderStore_ReadOnlyCommandsDoNot_AndASecondInitChangesNothing()
    {
        var store = Path.Combine(_work, "registry");

        // Read-only commands never create a store.
        var (exit, _, err) = await CliRunner.Run("env", "list", "--store", store);
        Assert.Equal(1, exit);
        Assert.Contains("cli.no-store", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(store));

        (exit, var output, err) = await CliRunner.Run("store", "init", "--store", store);
        Assert.True(exit == 0, err);
        Assert.Equal($"created the store {store}", output.Trim());
        Assert.True(Directory.Exists(Path.Combine(store, "records")));
        Assert.Equal(0, (await CliRunner.Run("env", "list", "--store", store)).Exit);

        (exit, output, _) = await CliRunner.Run("store", "init", "--store", store, "--output", "json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal((store, false), (json.RootElement.GetProperty("store").GetString(), json.RootElement.GetProperty("created").GetBoolean()));
    }

    [Fact]
    public async Task Init_OnAFile_IsRefused_AndLeavesTheFile()
    {
        var file = Path.Combine(_work, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");

        var (exit, _, err) = await CliRunner.Run("store", "init", "--store", file);

        Assert.Equal(1, exit);
        Assert.Contains("cli.store", err, StringComparison.Ordinal);
        Assert.Equal("x", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task RepairIndex_RemovesTheEntryOfARecordDeletedByAStoppedProcess()
    {
        var store = Path.Combine(_work, "registry");
        var platform = new ProtonPlatform(new FileSystemProtonStore(store), new ScriptedProvisioner());
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        await RegisterAsync(platform, "env", Env(), "1.0.0");
        foreach (var name in new[] { "a", "b" })
        {
            Assert.Equal(DeploymentStatus.Succeeded, (await platform.CreateEnvironmentAsync(new() { Name = name, TemplateName = "env" })).Status);
        }

        // What a process that stopped between deleting the record and its index entry leaves.
        File.Delete(Path.Combine(store, "records", PlatformRecords.Environments, "a.json"));
        async Task<int> TotalAsync()
        {
            var (exit, output, err) = await CliRunner.Run("summary", "--store", store, "--output", "json");
            Assert.True(exit == 0, err);
            using var json = JsonDocument.Parse(output);
            return json.RootElement.EnumerateArray().Sum(r => r.GetProperty("total").GetInt32());
        }

        Assert.Equal(2, await TotalAsync());

        var (repaired, text, error) = await CliRunner.Run("store", "repair-index", "--store", store);

        Assert.True(repaired == 0, error);
        Assert.Contains("matches its records", text, StringComparison.Ordinal);
        Assert.Equal(1, await TotalAsync());
    }
}
