using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Proton.Sdk.Api.Tests;

/// <summary>AddProtonApi: options from configuration, validated on start; MapProtonApi needs it.</summary>
public sealed class HostingTests
{
    [Fact]
    public void AddProtonApi_FromConfiguration_BindsCredentialsRegionAndAccount()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ProtonApi:Region"] = "eu-west-1",
            ["ProtonApi:AccountId"] = "210987654321",
            ["ProtonApi:Credentials:AKIDONE"] = "one",
            ["ProtonApi:Credentials:AKIDTWO"] = "two",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddProtonApi(configuration.GetSection("ProtonApi"));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ProtonApiOptions>>().Value;
        Assert.Equal(("eu-west-1", "210987654321"), (options.Region, options.AccountId));
        Assert.Equal(["AKIDONE=one", "AKIDTWO=two"], options.Credentials.Select(kv => $"{kv.Key}={kv.Value}").Order());
    }

    [Fact]
    public async Task AddProtonApi_BadAccountId_HostDoesNotStart()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddProtonSdk(o => o.StoreDirectory = Path.GetTempPath());
        builder.Services.AddProtonApi(o => o.AccountId = "12345");
        await using var app = builder.Build();
        var e = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            app.MapProtonApi(); // resolves the options, so it may already refuse them
            await app.StartAsync();
        });
        Assert.Contains("AccountId", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapProtonApi_WithoutAddProtonApi_SaysWhatIsMissing()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();
        var e = Assert.Throws<InvalidOperationException>(() => app.MapProtonApi());
        Assert.Contains("AddProtonApi", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCredentialsConfigured_EveryRequestRefused()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddProtonSdk(o => o.StoreDirectory = Path.Combine(Path.GetTempPath(), "proton-api-nocreds-" + Guid.NewGuid().ToString("N")[..8]));
        builder.Services.AddProtonApi();
        await using var app = builder.Build();
        app.MapProtonApi();
        await app.StartAsync();
        var body = "{}"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app.GetTestClient().BaseAddress!, "/"));
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AwsProton20200720.ListEnvironments");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new("application/x-amz-json-1.0");
        TestSigner.Sign(request, body, ApiHost.AccessKeyId, ApiHost.Secret, DateTimeOffset.UtcNow);
        using var response = await app.GetTestClient().SendAsync(request);
        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("UnrecognizedClientException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        await app.StopAsync();
    }
}
