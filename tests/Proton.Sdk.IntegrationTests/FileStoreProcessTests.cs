using System.Diagnostics;
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

    /// <summary>
    /// A store folder shared by a group: two writers run as two users of one group (uids 65533 and 65534, gid 65534,
    /// umask 002, started by root through <c>setpriv</c>), so each locks files the other created and does not own, and
    /// the first finds a lock file root left behind (as a killed writer would, mode 666). Marking a lock file by setting
    /// its write time needs its ownership (EPERM otherwise); the release mark written through the handle needs write
    /// permission only. Skipped unless the tests run as root on Linux with <c>setpriv</c>.
    /// </summary>
    [SkippableFact]
    public async Task WritersOfOneGroup_LockFilesTheyDoNotOwn_LoseNoUpdate_AndLeaveNoLockFile()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/bin/setpriv"), "needs root on Linux and /usr/bin/setpriv to run writers as other users");
        if (!OperatingSystem.IsLinux())
        {
            return; // skipped above; this tells the platform analyzer
        }

        var root = Path.Combine(_work, "store");
        var store = new FileSystemProtonStore(root);
        await store.PutAsync("counters", "x", JsonSerializer.SerializeToUtf8Bytes(new { n = 0 }), null);
        Directory.CreateDirectory(Path.Combine(root, "locks", "counters"));
        await File.WriteAllTextAsync(Path.Combine(root, "locks", "counters", "x.lock"), string.Empty);
        var home = Path.Combine(_work, "home");
        Directory.CreateDirectory(home);
        foreach (var dir in Directory.GetDirectories(_work, "*", SearchOption.AllDirectories).Append(_work))
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        }

        foreach (var file in Directory.GetFiles(_work, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(file, (UnixFileMode)0b110_110_110);
        }

        var go = Path.Combine(_work, "go");
        var dll = Processes.Dll(Path.Combine("tests", "Proton.Sdk.IntegrationTests.Racer"), "Proton.Sdk.IntegrationTests.Racer");
        var racers = new[] { 65533, 65534 }.Select(uid =>
        {
            var info = new ProcessStartInfo("/usr/bin/setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _work };
            foreach (var a in new[] { $"--reuid={uid}", "--regid=65534", "--clear-groups", "--", "/bin/sh", "-c", "umask 002; exec dotnet \"$@\"", "racer", dll, "file-counter", root, "x", "40", go })
            {
                info.ArgumentList.Add(a);
            }

            info.Environment["HOME"] = home;
            info.Environment["DOTNET_CLI_HOME"] = home;
            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            return Process.Start(info)!;
        }).ToList();
        var outputs = racers.Select(r => (Out: r.StandardOutput.ReadToEndAsync(), Err: r.StandardError.ReadToEndAsync())).ToList();
        try
        {
            for (var i = 0; Directory.GetFiles(_work, "go.ready.*").Length < racers.Count; i++)
            {
                Assert.True(i < 1200 && racers.All(r => !r.HasExited), "the racers did not get ready: " + string.Join(" | ", await Task.WhenAll(outputs.Where((_, j) => racers[j].HasExited).Select(async o => await o.Out + await o.Err))));
                await Task.Delay(50);
            }

            await File.WriteAllTextAsync(go, "go");
            foreach (var (racer, i) in racers.Select((r, i) => (r, i)))
            {
                await racer.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
                Assert.True(racer.ExitCode == 0, (await outputs[i].Out) + (await outputs[i].Err));
                Assert.StartsWith("done ", await outputs[i].Out, StringComparison.Ordinal);
            }

            Assert.Equal(80, JsonDocument.Parse((await store.GetAsync("counters", "x"))!.Document).RootElement.GetProperty("n").GetInt32());
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
