using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Cli;

/// <summary><c>proton migrate adopt</c> records Proton's stacks only for the provisioner that owns them.</summary>
public sealed class MigrateCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proton-migrate-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Adopt_WithTheLocalProvisioner_IsRefused_BeforeAnythingIsRead()
    {
        var store = Path.Combine(_dir, "store");

        var (exit, _, err) = await CliRunner.Run(["migrate", "adopt", "--templates", _dir, "--specs", _dir, "--store", store]);

        Assert.Equal(1, exit);
        Assert.Contains("cli.migrate-provisioner", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(store)); // nothing was created
    }
}
