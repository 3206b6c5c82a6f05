using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Proton.Sdk.Provisioning.CodeBuild;

/// <summary>
/// Runs a CodeBuild manifest's commands locally, as CodeBuild's build phase does: in one shell (<c>/bin/sh</c>), in a fresh
/// folder holding the bundle part's files and the input file, stopping at the first command that fails, with a timeout.
/// Output lines stream as events with secrets masked; a failed run returns the tail of the output.
/// </summary>
public sealed class LocalCodeBuildRunner : ICodeBuildRunner
{
    private const string Marker = "##proton-command ";
    private readonly LocalCodeBuildRunnerOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the runner.</summary>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="timeProvider">The clock (timeouts); the system clock when null.</param>
    public LocalCodeBuildRunner(LocalCodeBuildRunnerOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new LocalCodeBuildRunnerOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name => "local";

    /// <summary>The folder the commands of a stack run in.</summary>
    /// <param name="stackName">The stack.</param>
    /// <returns>The absolute folder.</returns>
    public string SourceDirectory(string stackName) => Path.Combine(StackDirectory(stackName), "src");

    /// <inheritdoc />
    public async Task<CodeBuildRunResult> RunAsync(CodeBuildRun run, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        cancellationToken.ThrowIfCancellationRequested();
        var stackDir = StackDirectory(run.StackName);
        var src = SourceDirectory(run.StackName);
        if (Directory.Exists(src))
        {
            Directory.Delete(src, recursive: true);
        }

        Directory.CreateDirectory(src);
        foreach (var f in run.Files)
        {
            var full = Path.GetFullPath(Path.Combine(src, f.Path));
            if (Path.IsPathRooted(f.Path) || !full.StartsWith(src + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new ProvisioningException(CodeBuildErrorCodes.InvalidStackName, $"'{f.Path}' would be written outside {src}.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(full, f.Content.ToArray(), cancellationToken).ConfigureAwait(false);
        }

        var script = Path.Combine(stackDir, run.Phase == CodeBuildPhase.Provision ? "provision.sh" : "deprovision.sh");
        await File.WriteAllTextAsync(script, Script(run.Commands), cancellationToken).ConfigureAwait(false);

        var psi = new ProcessStartInfo(_options.Shell) { WorkingDirectory = src, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        if (!_options.InheritEnvironment)
        {
            psi.Environment.Clear();
            psi.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        }

        foreach (var (k, v) in run.EnvironmentVariables)
        {
            psi.Environment[k] = v;
        }

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new ProvisioningException(CodeBuildErrorCodes.StartFailed, $"Could not start {_options.Shell}: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var tail = new Queue<string>();
        var current = -1;
        var action = run.Phase == CodeBuildPhase.Provision ? ResourceAction.Update : ResourceAction.Delete;
        void OnLine(string line)
        {
            if (line.StartsWith(Marker, StringComparison.Ordinal) && int.TryParse(line.AsSpan(Marker.Length), out var index) && index >= 0 && index < run.Commands.Count)
            {
                Volatile.Write(ref current, index);
                progress?.Report(new ProvisioningEvent(_time.GetUtcNow(), run.StackName, "codebuild", ResourceEventStatus.InProgress, "Running command " + SecretRedactor.Redact(run.Commands[index], run.SecretValues)) { Action = action, EngineStatus = "COMMAND" });
                return;
            }

            var masked = SecretRedactor.Redact(line, run.SecretValues);
            lock (tail)
            {
                tail.Enqueue(masked);
                while (tail.Count > Math.Max(1, _options.LogTailLines))
                {
                    tail.Dequeue();
                }
            }

            progress?.Report(new ProvisioningEvent(_time.GetUtcNow(), run.StackName, "codebuild", ResourceEventStatus.InProgress, masked) { Action = action, EngineStatus = "LOG" });
        }

        var readOut = Pump(process.StandardOutput, OnLine);
        var readErr = Pump(process.StandardError, OnLine);
        using var timeout = new CancellationTokenSource(run.Timeout ?? _options.Timeout, _time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = process.WaitForExitAsync(CancellationToken.None);
        using (stop.Token.Register(() => stopped.TrySetResult()))
        {
            await Task.WhenAny(exited, stopped.Task).ConfigureAwait(false);
        }

        var interrupted = !exited.IsCompleted;
        if (interrupted)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }

        await exited.ConfigureAwait(false);
        await Task.WhenAll(readOut, readErr).ConfigureAwait(false);
        List<string> lines;
        lock (tail)
        {
            lines = [.. tail];
        }

        var index = Volatile.Read(ref current);
        var command = index >= 0 ? SecretRedactor.Redact(run.Commands[index], run.SecretValues) : null;
        if (interrupted)
        {
            var status = cancellationToken.IsCancellationRequested ? CodeBuildRunStatus.Cancelled : CodeBuildRunStatus.TimedOut;
            return new CodeBuildRunResult(status) { FailedCommand = command, LogTail = lines, EngineStatus = status == CodeBuildRunStatus.Cancelled ? "STOPPED" : "TIMED_OUT" };
        }

        if (process.ExitCode != 0)
        {
            return new CodeBuildRunResult(CodeBuildRunStatus.Failed) { ExitCode = process.ExitCode, FailedCommand = command, LogTail = lines, EngineStatus = "FAILED" };
        }

        var outputs = Path.Combine(src, CodeBuildFiles.OutputsFileName);
        return new CodeBuildRunResult(CodeBuildRunStatus.Succeeded)
        {
            ExitCode = 0,
            LogTail = lines,
            OutputsFile = File.Exists(outputs) ? await File.ReadAllTextAsync(outputs, CancellationToken.None).ConfigureAwait(false) : null,
            EngineStatus = "SUCCEEDED",
        };
    }

    private string StackDirectory(string stackName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stackName);
        if (stackName is "." or ".." || stackName.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            throw new ProvisioningException(CodeBuildErrorCodes.InvalidStackName, $"Stack name '{stackName}' cannot name a folder.");
        }

        return Path.GetFullPath(Path.Combine(_options.RootDirectory, stackName));
    }

    /// <summary>One shell script: each command announced on stdout, then run; the first non-zero status ends the script with it.</summary>
    internal static string Script(IReadOnlyList<string> commands)
    {
        var sb = new StringBuilder("# Written by Proton.Sdk: the manifest's commands, run in one shell like CodeBuild's build phase.\n");
        for (var i = 0; i < commands.Count; i++)
        {
            sb.Append("printf '%s\\n' '").Append(Marker).Append(i).Append("'\n");
            sb.Append(commands[i]).Append('\n');
            sb.Append("__proton_status=$?\nif [ \"$__proton_status\" -ne 0 ]; then exit \"$__proton_status\"; fi\n");
        }

        return sb.ToString();
    }

    private static Task Pump(StreamReader reader, Action<string> onLine) => Task.Run(async () =>
    {
        while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
        {
            onLine(line);
        }
    });
}
