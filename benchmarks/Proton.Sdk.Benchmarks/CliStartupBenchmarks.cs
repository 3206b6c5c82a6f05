using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;

namespace Proton.Sdk.Benchmarks;

/// <summary>
/// Wall time of whole <c>proton</c> processes, from process start to exit: <c>--help</c> (baseline), <c>env list</c> and
/// <c>env create</c> on the local provisioner against a folder store. Runs the published tool
/// (<c>dotnet publish src/Proton.Sdk.Cli -c Release</c>, ReadyToRun) unless <c>PROTON_CLI</c> names another proton.dll.
/// </summary>
[Config(typeof(StartupConfig))]
public class CliStartupBenchmarks
{
    private string _cli = string.Empty;
    private string _work = string.Empty;
    private string _spec = string.Empty;
    private int _environment;

    [GlobalSetup]
    public void Setup()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Proton.Sdk.sln")))
        {
            root = root.Parent;
        }

        var repo = root?.FullName ?? throw new InvalidOperationException("Run the benchmarks from the repository.");
        _cli = Environment.GetEnvironmentVariable("PROTON_CLI")
            ?? Directory.EnumerateFiles(Path.Combine(repo, "src", "Proton.Sdk.Cli", "bin", "Release", "net10.0"), "proton.dll", SearchOption.AllDirectories)
                .FirstOrDefault(f => f.Contains($"{Path.DirectorySeparatorChar}publish{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("Publish the CLI first (dotnet publish src/Proton.Sdk.Cli -c Release) or set PROTON_CLI to a proton.dll.");
        _work = Directory.CreateTempSubdirectory("proton-startup-").FullName;
        _spec = Path.Combine(repo, "samples", "templates", "specs", "env-spec.yaml");
        Proton("template", "create", "env", "--kind", "environment", "--store", Store);
        Proton("template", "register", "env", Path.Combine(repo, "samples", "templates", "vpc-ecs-env", "v1"), "--store", Store);
        Proton("template", "publish", "env", "1.0.0", "--store", Store);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_work, recursive: true);

    private string Store => Path.Combine(_work, "store");

    [Benchmark(Baseline = true)]
    public int Help() => Proton("--help");

    [Benchmark]
    public int EnvList() => Proton("env", "list", "--store", Store);

    [Benchmark]
    public int EnvCreate() => Proton("env", "create", $"e{++_environment}", "--template", "env", "--spec", _spec, "--store", Store);

    /// <summary>In process: what is measured is the child process, so there is no benchmark project to generate and build.</summary>
    private sealed class StartupConfig : ManualConfig
    {
        public StartupConfig()
            => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(15).WithToolchain(InProcessNoEmitToolchain.Instance));
    }

    private int Proton(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [_cli, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? 0 : throw new InvalidOperationException($"proton {string.Join(' ', args)} exited {process.ExitCode}: {stderr}");
    }
}
