using Proton.Sdk.Cli.Commands;

namespace Proton.Sdk.Tests.Cli;

/// <summary><c>proton deployments notify</c>: the outputs file formats it reads and the errors it gives.</summary>
public sealed class NotifyCliTests
{
    [Theory]
    [InlineData("{\"VpcId\":\"vpc-1\",\"Count\":\"2\"}")]
    [InlineData("[{\"key\":\"VpcId\",\"valueString\":\"vpc-1\"},{\"key\":\"Count\",\"valueString\":\"2\"}]")]
    [InlineData("{\"VpcId\":{\"value\":\"vpc-1\",\"type\":\"string\",\"sensitive\":false},\"Count\":{\"value\":2,\"type\":\"number\"}}")]
    public void ParseOutputs_ReadsAFlatObject_ProtonsList_AndTerraformOutputJson(string json)
    {
        var outputs = DeploymentsCommand.ParseOutputs("outputs.json", json);

        Assert.Equal(("vpc-1", "2"), (outputs["VpcId"], outputs["Count"]));
        Assert.Equal(2, outputs.Count);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("\"text\"")]
    [InlineData("{\"a\":null}")]
    public void ParseOutputs_RefusesOtherShapes_NamingTheFile(string json)
    {
        var ex = Assert.ThrowsAny<Exception>(() => DeploymentsCommand.ParseOutputs("outputs.json", json));

        Assert.Contains("outputs.json: error cli.outputs", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notify_OfADeploymentThatDoesNotWait_ExitsOneWithTheCode()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.Run("template", "create", "env", "--kind", "environment", "--store", dir.Path)).Item1);
        var (exit, _, stderr) = await CliRunner.Run("deployments", "notify", "nope", "--status", "succeeded", "--store", dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains("platform.not-found", stderr, StringComparison.Ordinal);
        var (usage, _, _) = await CliRunner.Run("deployments", "notify", "nope", "--status", "maybe", "--store", dir.Path);
        Assert.Equal(2, usage);
        var (inProgress, _, inProgressErr) = await CliRunner.Run("deployments", "notify", "nope", "--status", "in_progress", "--reason", "applying", "--store", dir.Path);
        Assert.Equal(1, inProgress); // IN_PROGRESS is a status notify takes: the typed error is about the deployment
        Assert.Contains("platform.not-found", inProgressErr, StringComparison.Ordinal);
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("proton-notify-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
