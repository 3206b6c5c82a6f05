using System.Diagnostics;

namespace Proton.Sdk.IntegrationTests;

/// <summary>Runs programs built with the solution (the racer helper, the hosted sample) as separate OS processes.</summary>
internal static class Processes
{
    /// <summary>The configuration this test assembly was built in (<c>bin/&lt;Configuration&gt;/net10.0</c>).</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The built program's dll: <c>{folder}/bin/{Configuration}/net10.0/{name}.dll</c> under the repository.</summary>
    public static string Dll(string folder, string name)
    {
        var dll = Path.Combine(Moto.RepoRoot, folder, "bin", Configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is built with the solution (the integration tests reference it)");
        return dll;
    }

    /// <summary>The <c>proton</c> tool built with the solution (its runtime identifier folder included).</summary>
    public static string Cli() => Dll(Path.Combine("src", "Proton.Sdk.Cli"), Path.Combine("linux-x64", "proton"));

    public static Process Start(string dll, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[k] = v;
        }

        return Process.Start(info)!;
    }

    public static async Task<(int Exit, string Out, string Err)> RunAsync(string dll, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Start(dll, args, workingDirectory, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout, await stderr);
    }
}
