using System.Diagnostics;

namespace Proton.Sdk.Tests.Infrastructure;

/// <summary>Runs a program (the dotnet CLI, a built sample, the installed tool) and captures its exit code and output.</summary>
internal static class ProcessRunner
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? Corpus.RepoRoot };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a sample built with the solution (<c>samples/{name}/bin/Release/net10.0/{name}.dll</c>).</summary>
    public static Task<(int Exit, string Out, string Err)> RunSampleAsync(string name, IEnumerable<string> args, string? workingDirectory = null)
    {
        var dll = Path.Combine(Corpus.RepoRoot, "samples", name, "bin", "Release", "net10.0", name + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is built with the solution (dotnet test Proton.Sdk.sln -c Release)");
        return RunAsync("dotnet", [dll, .. args], workingDirectory);
    }
}
