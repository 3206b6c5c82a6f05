using System.Text.Json;
using Proton.Sdk.Storage;

namespace Proton.Sdk.IntegrationTests;

/// <summary>
/// Issue #17: the folder store deletes each record's lock file on release. Three OS processes increment the same two
/// counters at once: no update is lost (the lock still excludes across processes) and no lock file is left. Needs no endpoint.
/// </summary>
public sealed class FileStoreProcessTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("proton-file-race-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task ThreeProcesses_IncrementTheSameRecords_LoseNoUpdate_AndLeaveNoLockFile()
    {
        var root = Path.Combine(_work, "store");
        var store = new FileSystemProtonStore(root);
        foreach (var key in new[] { "x", "y" })
        {
            await store.PutAsync("counters", key, JsonSerializer.SerializeToUtf8Bytes(new { n = 0 }), null);
        }

        var go = Path.Combine(_work, "go");
        var dll = Processes.Dll(Path.Combine("tests", "Proton.Sdk.IntegrationTests.Racer"), "Proton.Sdk.IntegrationTests.Racer");
        var racers = Enumerable.Range(0, 6).Select(i => Processes.Start(dll, ["file-counter", root, i % 2 == 0 ? "x" : "y", "60", go], _work)).ToList();
        var outputs = racers.Select(r => (Out: r.StandardOutput.ReadToEndAsync(), Err: r.StandardError.ReadToEndAsync())).ToList();
        try
        {
            for (var i = 0; Directory.GetFiles(_work, "go.ready.*").Length < racers.Count; i++)
            {
                Assert.True(i < 1200 && racers.All(r => !r.HasExited), "the racers did not get ready");
                await Task.Delay(50);
            }

            await File.WriteAllTextAsync(go, "go");
            foreach (var (racer, i) in racers.Select((r, i) => (r, i)))
            {
                await racer.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
                Assert.True(racer.ExitCode == 0, (await outputs[i].Out) + (await outputs[i].Err));
                Assert.StartsWith("done ", await outputs[i].Out, StringComparison.Ordinal);
            }

            int Counter(StoredRecord? r) => JsonDocument.Parse(r!.Document).RootElement.GetProperty("n").GetInt32();
            Assert.Equal((180, 180), (Counter(await store.GetAsync("counters", "x")), Counter(await store.GetAsync("counters", "y"))));
            Assert.Empty(Directory.GetFiles(Path.Combine(root, "locks"), "*", SearchOption.AllDirectories));
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
