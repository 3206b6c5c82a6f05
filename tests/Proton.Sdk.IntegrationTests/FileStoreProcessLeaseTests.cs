using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;

namespace Proton.Sdk.IntegrationTests;

/// <summary>
/// Two OS processes contend for one environment over the file-system store (no endpoint needed): exactly one deploys and
/// holds the lease, the other gets <c>platform.conflict</c>. The holder is then killed: its lease keeps the target until
/// it runs out, then reconcile completes the orphaned deployment and the target can be deployed again.
/// </summary>
public sealed class FileStoreProcessLeaseTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("proton-lease-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task TwoProcesses_FileStore_OneHoldsTheLease_OtherGetsConflict_KilledHolder_ReconciledAfterItsLease()
    {
        var storeFolder = Path.Combine(_work, "store");
        var stacks = Path.Combine(_work, "stacks");
        var clock = new ShiftedClock();
        var store = new FileSystemProtonStore(storeFolder);
        var platform = new ProtonPlatform(store, new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = stacks }), new ProtonPlatformOptions { DefaultAccountId = "123456789012" }, timeProvider: clock);
        await platform.Registry.CreateTemplateAsync("lambda-env", TemplateKind.Environment);
        var v = await platform.Registry.RegisterVersionAsync("lambda-env", new DirectoryBundleSource(Moto.LambdaEnvBundle));
        await platform.Registry.PublishAsync("lambda-env", v.Version.Version);
        var created = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "race", TemplateName = "lambda-env" });
        Assert.True(created.Status == DeploymentStatus.Succeeded, created.StatusMessage);

        var go = Path.Combine(_work, "go");
        var dll = Processes.Dll(Path.Combine("tests", "Proton.Sdk.IntegrationTests.Racer"), "Proton.Sdk.IntegrationTests.Racer");
        var racers = Enumerable.Range(0, 2).Select(_ => Processes.Start(dll, ["file", storeFolder, stacks, "race", go], _work)).ToList();
        try
        {
            for (var i = 0; Directory.GetFiles(_work, "go.ready.*").Length < 2; i++)
            {
                Assert.True(i < 1200 && racers.All(r => !r.HasExited), "the racers did not get ready: " + string.Join(" | ", racers.Where(r => r.HasExited).Select(r => r.StandardError.ReadToEnd())));
                await Task.Delay(50);
            }

            await File.WriteAllTextAsync(go, "go");

            // Each racer's first line: the winner's "deploying <id>" (it then holds the target), the loser's error (it exits).
            var lines = await Task.WhenAll(racers.Select(r => r.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2))));
            var all = string.Join(" | ", lines);
            var winner = Assert.Single(Enumerable.Range(0, 2), i => lines[i]?.StartsWith("deploying ", StringComparison.Ordinal) == true);
            var loser = 1 - winner;
            Assert.True(lines[loser]?.StartsWith("error platform.conflict ", StringComparison.Ordinal) == true, all);
            await racers[loser].WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(3, racers[loser].ExitCode);
            var id = lines[winner]!["deploying ".Length..];

            // The holder dies without a word (SIGKILL): nothing of it finishes the deployment.
            racers[winner].Kill(entireProcessTree: true);
            await racers[winner].WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            var orphan = (await platform.GetDeploymentAsync(id))!;
            Assert.Equal(DeploymentStatus.InProgress, orphan.Status);
            Assert.NotNull(orphan.Owner);
            var expires = orphan.LeaseExpiresAt!.Value;

            // While its lease runs, the target stays held: reconcile leaves it alone and another deployment is refused.
            clock.Now = expires - TimeSpan.FromSeconds(1);
            Assert.Empty(await platform.ReconcileAsync());
            var refused = await Assert.ThrowsAsync<PlatformException>(() => platform.UpdateEnvironmentAsync("race", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion }));
            Assert.Equal(PlatformErrorCodes.Conflict, refused.ErrorCode);
            Assert.Equal(DeploymentStatus.InProgress, (await platform.GetDeploymentAsync(id))!.Status);

            // Once it has run out, reconcile completes it from the stack's real state (still the create's stack: failed, not applied).
            clock.Now = expires + TimeSpan.FromSeconds(1);
            var reconciled = Assert.Single(await platform.ReconcileAsync());
            Assert.Equal((id, DeploymentStatus.Failed), (reconciled.Id, reconciled.Status));
            Assert.Contains("interrupted", reconciled.StatusMessage, StringComparison.Ordinal);
            var env = (await platform.GetEnvironmentAsync("race"))!;
            Assert.Equal(DeploymentStatus.Failed, env.DeploymentStatus);
            Assert.Equal(created.Id, env.LastSucceededDeploymentId);

            // The target is free again: a new deployment takes it over and succeeds.
            var after = await platform.UpdateEnvironmentAsync("race", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion });
            Assert.True(after!.Status == DeploymentStatus.Succeeded, after.StatusMessage);
            Assert.Equal(new[] { created.Id, id, after.Id }.Order(StringComparer.Ordinal), (await platform.ListDeploymentsAsync("race")).Select(d => d.Id).Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var r in racers)
            {
                if (!r.HasExited)
                {
                    r.Kill(entireProcessTree: true);
                }

                r.Dispose();
            }
        }
    }

    /// <summary>The real clock until a test sets <see cref="Now"/>: lease expiry is reached without sleeping.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public DateTimeOffset? Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now ?? base.GetUtcNow();
    }
}
