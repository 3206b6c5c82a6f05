using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Provisioning.CodeBuild;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Aws.CodeBuild;

/// <summary>
/// Runs a CodeBuild manifest's commands as a build of an AWS CodeBuild project, as Proton did: <c>StartBuild</c> with the
/// manifest's image, its runtimes and commands as a buildspec (the bundle part and the input file travel inside it as a
/// compressed archive), the run's variables, then <c>BatchGetBuilds</c> until the build ends, streaming the build's
/// CloudWatch Logs stream as events; <c>proton-outputs.json</c> comes back through the log. Cancelling stops the build.
/// Narrow JSON 1.1 clients signed with AWSSDK.Core, retried like the other clients of this package.
/// </summary>
public sealed partial class AwsCodeBuildRunner : ICodeBuildRunner, IDisposable
{
    private const string OutputsMarker = "##proton-outputs ";
    private const string SourceMarker = "proton-source";
    private readonly AwsCodeBuildRunnerOptions _options;
    private readonly AwsJsonClient _codeBuild;
    private readonly AwsJsonClient _logs;
    private readonly TimeProvider _time;
    private readonly HttpClient? _ownedCodeBuildHttp;
    private readonly HttpClient? _ownedLogsHttp;

    /// <summary>Creates the runner with the SDK's credential and region chains.</summary>
    /// <param name="options">The project and connection.</param>
    public AwsCodeBuildRunner(AwsCodeBuildRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ProjectName);
        _options = options;
        _time = TimeProvider.System;
        var region = AwsConnection.ResolveRegion(options.Connection);
        var credentials = AwsConnection.ResolveCredentials(options.Connection);
        _ownedCodeBuildHttp = AwsConnection.SignedClient(credentials, region, "codebuild", null);
        _ownedLogsHttp = AwsConnection.SignedClient(credentials, region, "logs", null);
        _codeBuild = new AwsJsonClient(_ownedCodeBuildHttp, AwsConnection.ResolveEndpoint(options.Connection, "CODEBUILD", "codebuild", region), "CodeBuild_20161006", _time, Random.Shared.NextDouble, options.Connection.MaxAttempts);
        _logs = new AwsJsonClient(_ownedLogsHttp, AwsConnection.ResolveEndpoint(options.Connection, "CLOUDWATCH_LOGS", "logs", region), "Logs_20140328", _time, Random.Shared.NextDouble, options.Connection.MaxAttempts);
    }

    internal AwsCodeBuildRunner(AwsCodeBuildRunnerOptions options, HttpClient http, Uri codeBuildEndpoint, Uri logsEndpoint, TimeProvider time)
    {
        _options = options;
        _time = time;
        _codeBuild = new AwsJsonClient(http, codeBuildEndpoint, "CodeBuild_20161006", time, () => 0.0, 3);
        _logs = new AwsJsonClient(http, logsEndpoint, "Logs_20140328", time, () => 0.0, 3);
    }

    /// <inheritdoc />
    public string Name => "aws-codebuild";

    /// <inheritdoc />
    public void Dispose()
    {
        _ownedCodeBuildHttp?.Dispose();
        _ownedLogsHttp?.Dispose();
    }

    /// <inheritdoc />
    public async Task<CodeBuildRunResult> RunAsync(CodeBuildRun run, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var source = SourceArchive(run.Files);
        if (source.Length > _options.MaxInlineSourceBytes)
        {
            throw new ProvisioningException(CodeBuildErrorCodes.SourceTooLarge, $"Stack {run.StackName}: the compressed bundle part is {source.Length} bytes; at most {_options.MaxInlineSourceBytes} travel inside a buildspec.");
        }

        var start = new JsonObject
        {
            ["projectName"] = _options.ProjectName,
            ["sourceTypeOverride"] = "NO_SOURCE",
            ["buildspecOverride"] = Buildspec(run, Convert.ToBase64String(source)),
            ["imageOverride"] = run.Image ?? _options.DefaultImage,
            ["environmentVariablesOverride"] = new JsonArray(run.EnvironmentVariables.Select(kv => (JsonNode)new JsonObject { ["name"] = kv.Key, ["value"] = kv.Value, ["type"] = "PLAINTEXT" }).ToArray()),
        };
        if (run.Timeout is { } timeout)
        {
            start["timeoutInMinutesOverride"] = (int)Math.Clamp(Math.Ceiling(timeout.TotalMinutes), 5, 2160);
        }

        if (run.DeploymentId is { } id)
        {
            start["idempotencyToken"] = $"{id}-{run.Phase}".ToLowerInvariant();
        }

        var started = await _codeBuild.CallAsync("StartBuild", start, cancellationToken).ConfigureAwait(false);
        var buildId = (string?)started["build"]?["id"] ?? throw new AwsServiceException(AwsErrorKind.Other, "MalformedResponse", "StartBuild returned no build id", System.Net.HttpStatusCode.OK, null, "StartBuild");
        var action = run.Phase == CodeBuildPhase.Provision ? ResourceAction.Update : ResourceAction.Delete;
        progress?.Report(new ProvisioningEvent(_time.GetUtcNow(), run.StackName, "AWS::CodeBuild::Build", ResourceEventStatus.InProgress, "build " + buildId) { Action = action, EngineStatus = "IN_PROGRESS", PhysicalId = buildId });

        var log = new LogReader(this, run, progress, action);
        while (true)
        {
            try
            {
                await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await _codeBuild.CallAsync("StopBuild", new JsonObject { ["id"] = buildId }, CancellationToken.None).ConfigureAwait(false);
                return new CodeBuildRunResult(CodeBuildRunStatus.Cancelled) { RunId = buildId, EngineStatus = "STOPPED", FailedCommand = log.Command, LogTail = log.Tail };
            }

            var builds = await _codeBuild.CallAsync("BatchGetBuilds", new JsonObject { ["ids"] = new JsonArray(buildId) }, cancellationToken).ConfigureAwait(false);
            var build = (builds["builds"] as JsonArray)?.FirstOrDefault()
                ?? throw new AwsServiceException(AwsErrorKind.Other, "BuildNotFound", $"build {buildId} was not found", System.Net.HttpStatusCode.OK, null, "BatchGetBuilds");
            await log.ReadAsync(build["logs"], CancellationToken.None).ConfigureAwait(false);
            var status = (string?)build["buildStatus"] ?? "IN_PROGRESS";
            if (status == "IN_PROGRESS")
            {
                continue;
            }

            var context = (build["phases"] as JsonArray ?? []).Where(p => (string?)p?["phaseStatus"] is "FAILED" or "FAULT" or "TIMED_OUT")
                .SelectMany(p => p?["contexts"] as JsonArray ?? []).Select(c => (string?)c?["message"]).FirstOrDefault(m => !string.IsNullOrEmpty(m));
            var result = status switch
            {
                "SUCCEEDED" => new CodeBuildRunResult(CodeBuildRunStatus.Succeeded) { ExitCode = 0 },
                "TIMED_OUT" => new CodeBuildRunResult(CodeBuildRunStatus.TimedOut),
                "STOPPED" => new CodeBuildRunResult(CodeBuildRunStatus.Cancelled),
                _ => new CodeBuildRunResult(CodeBuildRunStatus.Failed) { ExitCode = context is not null && ExitStatus().Match(context) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null },
            };
            var failedCommand = context is not null && CommandInContext().Match(context) is { Success: true } c ? c.Groups[1].Value : log.Command;
            return result with
            {
                RunId = buildId,
                EngineStatus = status,
                OutputsFile = result.Status == CodeBuildRunStatus.Succeeded ? log.Outputs : null,
                FailedCommand = result.Status == CodeBuildRunStatus.Succeeded ? null : SecretRedactor.Redact(failedCommand, run.SecretValues),
                LogTail = context is null ? log.Tail : [.. log.Tail, SecretRedactor.Redact(context, run.SecretValues)],
            };
        }
    }

    /// <summary>The buildspec: runtimes in <c>install</c>; in <c>build</c>, the source unpacked, the commands, then <c>proton-outputs.json</c> printed (base64) for the log reader.</summary>
    internal static string Buildspec(CodeBuildRun run, string sourceBase64)
    {
        var sb = new StringBuilder("version: 0.2\nphases:\n");
        if (run.Runtimes.Count > 0)
        {
            sb.Append("  install:\n    runtime-versions:\n");
            foreach (var (k, v) in run.Runtimes)
            {
                sb.Append("      ").Append(k).Append(": ").Append(Yaml(v)).Append('\n');
            }
        }

        sb.Append("  build:\n    on-failure: ABORT\n    commands:\n");
        sb.Append("      - ").Append(Yaml($"echo {sourceBase64} | base64 -d | tar -xzf - # {SourceMarker}")).Append('\n');
        foreach (var command in run.Commands)
        {
            sb.Append("      - ").Append(Yaml(command)).Append('\n');
        }

        sb.Append("      - ").Append(Yaml($"if [ -f {CodeBuildFiles.OutputsFileName} ]; then echo \"{OutputsMarker}$(base64 -w0 {CodeBuildFiles.OutputsFileName})\"; fi")).Append('\n');
        return sb.ToString();
    }

    /// <summary>A YAML double-quoted scalar (JSON's escapes are YAML's).</summary>
    private static string Yaml(string value) => JsonSerializer.Serialize(value, YamlStrings);

    private static readonly JsonSerializerOptions YamlStrings = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The files as a gzipped tar.</summary>
    internal static byte[] SourceArchive(IReadOnlyList<BundleFile> files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var f in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, f.Path) { DataStream = new MemoryStream(f.Content.ToArray()), Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead };
                tar.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    [GeneratedRegex(@"exit status (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ExitStatus();

    [GeneratedRegex(@"Error while executing command: (.+?)\. Reason:", RegexOptions.CultureInvariant)]
    private static partial Regex CommandInContext();

    /// <summary>Follows the build's log stream (GetLogEvents with the forward token), emitting lines as events.</summary>
    private sealed class LogReader(AwsCodeBuildRunner owner, CodeBuildRun run, IProgress<ProvisioningEvent>? progress, ResourceAction action)
    {
        private readonly Queue<string> _tail = new();
        private string? _token;

        public string? Command { get; private set; }

        public string? Outputs { get; private set; }

        public IReadOnlyList<string> Tail => [.. _tail];

        public async Task ReadAsync(JsonNode? logs, CancellationToken cancellationToken)
        {
            if ((string?)logs?["groupName"] is not { } group || (string?)logs["streamName"] is not { } stream)
            {
                return;
            }

            for (var page = 0; page < 100; page++)
            {
                var body = new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["startFromHead"] = true };
                if (_token is not null)
                {
                    body["nextToken"] = _token;
                }

                JsonNode response;
                try
                {
                    response = await owner._logs.CallAsync("GetLogEvents", body, cancellationToken).ConfigureAwait(false);
                }
                catch (AwsServiceException ex) when (ex.AwsErrorCode == "ResourceNotFoundException")
                {
                    return; // the stream appears a little after the build starts
                }

                var events = response["events"] as JsonArray ?? [];
                foreach (var e in events)
                {
                    foreach (var line in ((string?)e?["message"] ?? string.Empty).Split('\n'))
                    {
                        OnLine(line.TrimEnd('\r'), (long?)e?["timestamp"]);
                    }
                }

                var next = (string?)response["nextForwardToken"];
                if (events.Count == 0 || next is null || next == _token)
                {
                    _token = next ?? _token;
                    return;
                }

                _token = next;
            }
        }

        private void OnLine(string line, long? timestamp)
        {
            if (line.Length == 0 || line.Contains(SourceMarker, StringComparison.Ordinal))
            {
                return;
            }

            var at = line.IndexOf(OutputsMarker, StringComparison.Ordinal);
            if (at >= 0 && !line.Contains("base64 -w0", StringComparison.Ordinal))
            {
                try
                {
                    Outputs = Encoding.UTF8.GetString(Convert.FromBase64String(line[(at + OutputsMarker.Length)..].Trim()));
                }
                catch (FormatException)
                {
                }

                return;
            }

            var masked = SecretRedactor.Redact(line, run.SecretValues);
            if (masked.IndexOf("Running command ", StringComparison.Ordinal) is var i and >= 0)
            {
                Command = masked[(i + "Running command ".Length)..].Trim();
            }

            _tail.Enqueue(masked);
            while (_tail.Count > Math.Max(1, owner._options.LogTailLines))
            {
                _tail.Dequeue();
            }

            var time = timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : owner._time.GetUtcNow();
            progress?.Report(new ProvisioningEvent(time, run.StackName, "AWS::CodeBuild::Build", ResourceEventStatus.InProgress, masked) { Action = action, EngineStatus = "LOG" });
        }
    }
}
