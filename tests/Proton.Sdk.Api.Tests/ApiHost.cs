using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Api.Tests;

/// <summary>An in-process Proton API (TestServer) over an in-memory store, with bundles from the repository's samples as "S3" sources.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDTESTAPI0000000001";
    public const string Secret = "test-secret-key/for+the+api";

    private readonly WebApplication _app;
    private readonly string _stacks;

    private ApiHost(WebApplication app, string stacks)
    {
        _app = app;
        _stacks = stacks;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public ProtonPlatform Platform => _app.Services.GetRequiredService<ProtonPlatform>();

    public static string RepoRoot { get; } = FindRepo();

    public static string Samples => Path.Combine(RepoRoot, "samples", "templates");

    public static async Task<ApiHost> StartAsync(IProvisioner? provisioner = null, bool withSources = true, Action<ProtonApiOptions>? configure = null)
    {
        var stacks = Path.Combine(Path.GetTempPath(), "proton-api-tests-" + Guid.NewGuid().ToString("N")[..8]);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IProtonStore>(new InMemoryProtonStore());
        builder.Services.AddSingleton(provisioner ?? new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = stacks }));
        builder.Services.AddProtonSdk(o => o.StoreDirectory = stacks, p => p.DefaultAccountId = "123456789012");
        builder.Services.AddProtonApi(o =>
        {
            o.Credentials[AccessKeyId] = Secret;
            configure?.Invoke(o);
        });
        if (withSources)
        {
            builder.Services.AddSingleton<ITemplateSourceResolver>(new SampleSources());
        }

        var app = builder.Build();
        app.MapProtonApi();
        await app.StartAsync();
        return new ApiHost(app, stacks);
    }

    public async Task<ApiResponse> CallAsync(string operation, object? body = null, string? secret = null, string? accessKeyId = null, DateTimeOffset? at = null, Action<HttpRequestMessage>? tamper = null, string? rawBody = null)
    {
        var bytes = Encoding.UTF8.GetBytes(rawBody ?? JsonSerializer.Serialize(body ?? new { }));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Client.BaseAddress!, "/"));
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AwsProton20200720." + operation);
        request.Content = new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.0");
        TestSigner.Sign(request, bytes, accessKeyId ?? AccessKeyId, secret ?? Secret, at ?? DateTimeOffset.UtcNow);
        tamper?.Invoke(request);
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject();
        var errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out var v) ? v.First() : null;
        return new ApiResponse((int)response.StatusCode, json, errorType);
    }

    /// <summary>Calls and asserts success.</summary>
    public async Task<JsonObject> OkAsync(string operation, object? body = null)
    {
        var r = await CallAsync(operation, body);
        Assert.True(r.Status == 200, $"{operation}: {r.Status} {r.Body.ToJsonString()}");
        return r.Body;
    }

    /// <summary>Registers and publishes the sample environment template (vpc-env 1.0) and, when asked, the sample service template (fargate 1.0).</summary>
    public async Task PublishSamplesAsync(bool service = true)
    {
        await OkAsync("CreateEnvironmentTemplate", new { name = "vpc-env" });
        await OkAsync("CreateEnvironmentTemplateVersion", new { templateName = "vpc-env", source = new { s3 = new { bucket = "samples", key = "vpc-ecs-env/v1" } } });
        await OkAsync("UpdateEnvironmentTemplateVersion", new { templateName = "vpc-env", majorVersion = "1", minorVersion = "0", status = "PUBLISHED" });
        if (service)
        {
            await OkAsync("CreateServiceTemplate", new { name = "fargate" });
            await OkAsync("CreateServiceTemplateVersion", new { templateName = "fargate", source = new { s3 = new { bucket = "samples", key = "fargate-svc/v1" } }, compatibleEnvironmentTemplates = new[] { new { templateName = "vpc-env", majorVersion = "1" } } });
            await OkAsync("UpdateServiceTemplateVersion", new { templateName = "fargate", majorVersion = "1", minorVersion = "0", status = "PUBLISHED" });
        }
    }

    public static string EnvSpec => File.ReadAllText(Path.Combine(Samples, "specs", "env-spec.yaml"));

    public static string SvcSpec => File.ReadAllText(Path.Combine(Samples, "specs", "svc-spec.yaml"));

    public async Task CreateDevAsync()
    {
        await OkAsync("CreateEnvironment", new { name = "dev", templateName = "vpc-env", templateMajorVersion = "1", spec = EnvSpec });
        await WaitAsync("GetEnvironment", new { name = "dev" }, b => b["environment"]!["deploymentStatus"]!.GetValue<string>() != "IN_PROGRESS");
    }

    /// <summary>Polls an operation until <paramref name="done"/> holds (at most 10 s).</summary>
    public async Task<JsonObject> WaitAsync(string operation, object body, Func<JsonObject, bool> done)
    {
        for (var i = 0; ; i++)
        {
            var r = await OkAsync(operation, body);
            if (done(r))
            {
                return r;
            }

            Assert.True(i < 500, $"{operation} never reached the state: {r.ToJsonString()}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_stacks, true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static string FindRepo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Proton.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Proton.Sdk.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>"S3" bundles served from samples/templates: bucket <c>samples</c>, key = folder below it.</summary>
    private sealed class SampleSources : ITemplateSourceResolver
    {
        public ITemplateBundleSource Resolve(string bucket, string key)
            => bucket == "samples" && !key.Contains("..", StringComparison.Ordinal) && Directory.Exists(Path.Combine(Samples, key))
                ? new DirectoryBundleSource(Path.Combine(Samples, key))
                : throw new ProtonException(BundleErrorCodes.NotFound, $"s3://{bucket}/{key} does not exist.");
    }
}

internal sealed record ApiResponse(int Status, JsonObject Body, string? ErrorType)
{
    public string? Message => Body["message"]?.GetValue<string>();
}
