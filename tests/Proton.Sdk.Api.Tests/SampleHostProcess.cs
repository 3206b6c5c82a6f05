using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Proton.Sdk.Api.Tests;

/// <summary>
/// samples/ProtonApiHost run as its own process (the built dll, a free port, a temporary file store, the local
/// provisioner, S3 sources on the test endpoint), and real clients run against it: the <c>aws</c> CLI and boto3.
/// </summary>
internal sealed class SampleHostProcess : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDCLISTORY00000001";
    public const string Secret = "cli-story/secret+key";

    private readonly Process _process;
    private readonly string _work;

    private SampleHostProcess(Process process, string work, string url, string s3)
    {
        _process = process;
        _work = work;
        Url = url;
        S3Endpoint = s3;
    }

    public string Url { get; }

    public string S3Endpoint { get; }

    public string Work => _work;

    /// <summary>The moto (or other S3-compatible) endpoint: skip without one, fail under CI=true.</summary>
    public static string RequireEndpoint()
    {
        var url = Environment.GetEnvironmentVariable("PROTON_SDK_TEST_ENDPOINT");
        var ci = Environment.GetEnvironmentVariable("CI") is { } c && (c.Equals("true", StringComparison.OrdinalIgnoreCase) || c == "1");
        if (string.IsNullOrEmpty(url) && ci)
        {
            Assert.Fail("CI=true, so the real-client tests must run, but PROTON_SDK_TEST_ENDPOINT is not set (.ci/run starts moto).");
        }

        Skip.If(string.IsNullOrEmpty(url), "PROTON_SDK_TEST_ENDPOINT is not set: start moto (../shared/tools/moto/start.sh) and point it there to run the aws CLI story.");
        return url!;
    }

    public static async Task<SampleHostProcess> StartAsync(string s3Endpoint, params string[] extraArgs)
    {
        var work = Path.Combine(Path.GetTempPath(), "proton-api-host-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(ApiHost.RepoRoot, "samples", "ProtonApiHost", "bin", configuration, "net10.0", "ProtonApiHost.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            dll, "--urls", url,
            $"--ProtonApi:Credentials:{AccessKeyId}={Secret}",
            $"--Proton:StoreDirectory={Path.Combine(work, "store")}",
            $"--Proton:StacksDirectory={Path.Combine(work, "stacks")}",
            $"--Proton:Aws:ServiceUrl={s3Endpoint}",
            "--Proton:Aws:ForcePathStyle=true",
        }.Concat(extraArgs))
        {
            psi.ArgumentList.Add(a);
        }

        // The host's own AWS credentials (for S3 sources on moto); the API's callers use other keys.
        psi.Environment["AWS_ACCESS_KEY_ID"] = "test";
        psi.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
        psi.Environment["AWS_REGION"] = "us-east-1";
        psi.Environment.Remove("AWS_PROFILE");
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new SampleHostProcess(process, work, url, s3Endpoint);
        using var http = new HttpClient();
        for (var i = 0; ; i++)
        {
            Assert.False(process.HasExited, "the sample host exited at start");
            try
            {
                using var r = await http.PostAsync(url, new StringContent("{}"));
                if (r.StatusCode == HttpStatusCode.Forbidden)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(i < 300, "the sample host did not answer within 30 s");
            await Task.Delay(100);
        }
    }

    /// <summary>The shared corpus (../shared/corpus), read in place.</summary>
    public static string Corpus { get; } = FindCorpus();

    private static string FindCorpus()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "shared", "corpus")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("../shared/corpus not found"), "shared", "corpus");
    }

    /// <summary>Packs a bundle folder as Proton's .tar.gz and puts it in a new bucket on the S3 endpoint.</summary>
    public async Task<(string Bucket, string Key)> UploadBundleAsync(string folder, string key)
    {
        var archive = Path.Combine(_work, key);
        await using (var file = File.Create(archive))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            await TarFile.CreateFromDirectoryAsync(folder, gzip, includeBaseDirectory: false);
        }

        var bucket = "proton-api-" + Guid.NewGuid().ToString("N")[..10];
        var moto = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test" };
        Ok(await RunAsync("aws", ["s3", "mb", $"s3://{bucket}", "--endpoint-url", S3Endpoint, "--region", "us-east-1"], moto));
        Ok(await RunAsync("aws", ["s3", "cp", archive, $"s3://{bucket}/{key}", "--endpoint-url", S3Endpoint, "--region", "us-east-1"], moto));
        return (bucket, key);
    }

    /// <summary>Runs <c>aws proton ...</c> against the host with the given credentials.</summary>
    public Task<(int Exit, string Out, string Err)> ProtonAsync(IEnumerable<string> args, string? secret = null, bool endpointFromEnvironment = false)
    {
        var env = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = AccessKeyId, ["AWS_SECRET_ACCESS_KEY"] = secret ?? Secret };
        var all = new List<string> { "proton" };
        all.AddRange(args);
        all.AddRange(["--region", "us-east-1", "--output", "json"]);
        if (endpointFromEnvironment)
        {
            env["AWS_ENDPOINT_URL_PROTON"] = Url;
        }
        else
        {
            all.AddRange(["--endpoint-url", Url]);
        }

        return RunAsync("aws", all, env);
    }

    /// <summary>Runs an <c>aws proton</c> command that must succeed; its JSON output.</summary>
    public async Task<JsonObject> ProtonOkAsync(params string[] args)
    {
        var r = await ProtonAsync(args);
        Ok(r, string.Join(' ', args));
        return r.Out.Trim().Length == 0 ? [] : JsonNode.Parse(r.Out)!.AsObject();
    }

    public static void Ok((int Exit, string Out, string Err) r, string what = "")
        => Assert.True(r.Exit == 0, $"{what} exited {r.Exit}: {r.Err}{r.Out}");

    public static async Task<(int Exit, string Out, string Err)> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var name in new[] { "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_PROTON", "AWS_DEFAULT_REGION", "AWS_REGION" })
        {
            psi.Environment.Remove(name);
        }

        psi.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        psi.Environment["AWS_PAGER"] = string.Empty;
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }

        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await output, await error);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_work, true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
