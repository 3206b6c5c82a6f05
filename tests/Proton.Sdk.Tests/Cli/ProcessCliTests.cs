using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Cli;

/// <summary>The built tool as a real process: exit codes, help, and Ctrl-C (SIGINT) during a deployment.</summary>
public sealed class ProcessCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proton-proc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "proton.dll");

    private string Store => Path.Combine(_dir, "store");

    private Task<(int Exit, string Out, string Err)> Run(params string[] args) => ProcessRunner.RunAsync("dotnet", [Cli, .. args], _dir);

    [Fact]
    public async Task RealProcess_ExitCodesAndHelp()
    {
        var help = await Run("env", "create", "--help");
        var usage = await Run("env", "frobnicate");
        var invalid = await Run("env", "list", "--store", Path.Combine(_dir, "typo"));

        Assert.Equal(0, help.Exit);
        Assert.Contains("proton env create <name> [options]", help.Out, StringComparison.Ordinal);
        Assert.Equal(2, usage.Exit);
        Assert.Equal(1, invalid.Exit);
        Assert.Contains("cli.no-store", invalid.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "typo")));
        Assert.DoesNotContain("   at ", usage.Err + invalid.Err, StringComparison.Ordinal);
    }

    [Fact]
    public Task RealProcess_SigintDuringADeployment_RecordsItCancelled_AndExits130() => SigintDuringADeployment(startedWithSigintIgnored: false);

    /// <summary>
    /// The cause of this test's time-outs in full runs: a runner started as a background job of a script (no job control)
    /// has SIGINT ignored, every child inherits that, and .NET keeps an ignored SIGINT ignored, so the CLI never saw the
    /// Ctrl-C. The CLI takes SIGINT back at start; here the child is started with SIGINT ignored on purpose.
    /// </summary>
    [Fact]
    public Task RealProcess_StartedWithSigintIgnored_StillCancelsOnSigint_AndExits130() => SigintDuringADeployment(startedWithSigintIgnored: true);

    private async Task SigintDuringADeployment(bool startedWithSigintIgnored)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // SIGINT is sent with kill(1)
        }

        var bundle = Path.Combine(Corpus.RepoRoot, "samples", "templates", "vpc-ecs-env", "v1");
        Assert.Equal(0, (await Run("template", "create", "env", "--kind", "environment", "--store", Store)).Exit);
        Assert.Equal(0, (await Run("template", "register", "env", bundle, "--store", Store)).Exit);
        Assert.Equal(0, (await Run("template", "publish", "env", "1.0.0", "--store", Store)).Exit);

        // A CloudFormation endpoint that accepts connections and never answers: the deployment waits until it is cancelled.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                held.Add(await silent.AcceptTcpClientAsync());
            }
        });
        var endpoint = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        string[] command = ["dotnet", Cli, "env", "create", "dev", "--template", "env", "--spec", Path.Combine(Corpus.RepoRoot, "samples", "templates", "specs", "env-spec.yaml"),
            "--store", Store, "--provisioner", "cloudformation", "--endpoint-url", endpoint, "--region", "us-east-1", "--account-id", "123456789012"];

        // SIGINT ignored, as a shell without job control starts a background job; exec keeps the process id and the disposition.
        var info = new ProcessStartInfo(startedWithSigintIgnored ? "/bin/sh" : command[0], startedWithSigintIgnored ? ["-c", "trap '' INT; exec \"$@\"", "sh", .. command] : command[1..])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir,
        };
        info.Environment["AWS_ACCESS_KEY_ID"] = "test";
        info.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = new System.Text.StringBuilder();
        var started = new TaskCompletionSource();
        _ = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (stderr)
                {
                    stderr.AppendLine(line);
                }

                if (line.Contains("deploying environment dev", StringComparison.Ordinal))
                {
                    started.TrySetResult();
                }
            }
        });

        // The positive signal: the deployment record exists and the provisioner is being called (its first request hangs).
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await stdout;
        foreach (var client in held)
        {
            client.Dispose();
        }

        string err;
        lock (stderr)
        {
            err = stderr.ToString();
        }

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{err}");
        Assert.Contains("cancelled", err, StringComparison.Ordinal);
        using var list = JsonDocument.Parse((await Run("deployments", "list", "--output", "json", "--store", Store)).Out);
        Assert.Equal("Cancelled", list.RootElement[0].GetProperty("status").GetString());
    }
}
