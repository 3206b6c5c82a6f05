using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Platform;
using Proton.Sdk.Templates;

namespace Proton.Sdk.IntegrationTests;

/// <summary>
/// Two OS processes share one S3 store and deploy the same environment at the same moment: exactly one wins, the other
/// gets <c>platform.conflict</c>, and no record is lost.
/// </summary>
public sealed class SharedStoreProcessTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("proton-race-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [SkippableFact]
    public async Task TwoProcesses_SameTargetAtOnce_OneWins_TheOtherGetsConflict_NoRecordLost()
    {
        var url = Endpoint.Require();
        var bucket = await Moto.NewBucketAsync(url, "proton-race-");
        var connection = Moto.Connection(url);
        using var store = new S3ProtonStore(new S3StoreOptions { BucketName = bucket }, connection);
        using var provisioner = new CloudFormationProvisioner(new CloudFormationProvisionerOptions(), connection);
        var platform = new ProtonPlatform(store, provisioner, new ProtonPlatformOptions { DefaultAccountId = "123456789012", StackNamePrefix = "r" + Guid.NewGuid().ToString("N")[..6] });
        await platform.Registry.CreateTemplateAsync("lambda-env", TemplateKind.Environment);
        var v = await platform.Registry.RegisterVersionAsync("lambda-env", new DirectoryBundleSource(Moto.LambdaEnvBundle));
        await platform.Registry.PublishAsync("lambda-env", v.Version.Version);
        var created = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "race", TemplateName = "lambda-env" });
        Assert.True(created.Status == DeploymentStatus.Succeeded, created.StatusMessage);

        var go = Path.Combine(_work, "go");
        var dll = Processes.Dll(Path.Combine("tests", "Proton.Sdk.IntegrationTests.Racer"), "Proton.Sdk.IntegrationTests.Racer");
        var racers = Enumerable.Range(0, 2).Select(_ => Processes.Start(dll, [url, bucket, "race", go], _work, new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test" })).ToList();
        var outputs = racers.Select(r => (Out: r.StandardOutput.ReadToEndAsync(), Err: r.StandardError.ReadToEndAsync())).ToList();
        try
        {
            // Both processes are up, with their store and provisioner, before either starts: then both start at once.
            for (var i = 0; Directory.GetFiles(_work, "go.ready.*").Length < 2; i++)
            {
                Assert.True(i < 1200 && racers.All(r => !r.HasExited), $"the racers did not get ready: {string.Join(" | ", outputs.Select(o => o.Err.IsCompleted ? o.Err.Result : string.Empty))}");
                await Task.Delay(50);
            }

            await File.WriteAllTextAsync(go, "go");
            var outcomes = new List<(int Exit, string Line)>();
            for (var i = 0; i < racers.Count; i++)
            {
                await racers[i].WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
                outcomes.Add((racers[i].ExitCode, (await outputs[i].Out).Trim() + (await outputs[i].Err).Trim()));
            }

            var all = string.Join(" | ", outcomes.Select(o => $"{o.Exit}: {o.Line}"));
            var winner = Assert.Single(outcomes, o => o.Exit == 0);
            var loser = Assert.Single(outcomes, o => o.Exit == 3);
            Assert.True(winner.Line.StartsWith("deployment ", StringComparison.Ordinal) && winner.Line.Contains(" Succeeded ", StringComparison.Ordinal), all);
            Assert.StartsWith("error platform.conflict ", loser.Line, StringComparison.Ordinal);

            // No record lost: the create and the winner's update are recorded (the loser's claim left nothing), and the
            // environment is the winner's, not busy.
            var parts = winner.Line.Split(' ');
            var deployments = await platform.ListDeploymentsAsync("race");
            Assert.Equal([created.Id, parts[1]], deployments.Select(d => d.Id));
            Assert.All(deployments, d => Assert.Equal(DeploymentStatus.Succeeded, d.Status));
            var env = (await platform.GetEnvironmentAsync("race"))!;
            Assert.Equal((parts[1], parts[3], DeploymentStatus.Succeeded), (env.LastSucceededDeploymentId, env.Inputs["ttl_attribute"]?.ToString(), env.DeploymentStatus));
            Assert.NotNull(await platform.Registry.GetVersionAsync("lambda-env", "1.0.0"));
        }
        finally
        {
            foreach (var r in racers)
            {
                if (!r.HasExited)
                {
                    r.Kill();
                }

                r.Dispose();
            }
        }
    }
}
