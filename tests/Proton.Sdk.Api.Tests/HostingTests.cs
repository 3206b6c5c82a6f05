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
        builder.Services.AddProtonApi(o => o.AllowNoCredentials = true);
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

    [Fact]
    public void AddProtonApi_FromConfiguration_BindsSkewPageSizeAndLimit()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ProtonApi:Credentials:AKIDONE"] = "one",
            ["ProtonApi:MaxClockSkew"] = "00:05:00",
            ["ProtonApi:DefaultPageSize"] = "7",
            ["ProtonApi:MaxRequestBytes"] = "4096",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddProtonApi(configuration.GetSection("ProtonApi")).BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ProtonApiOptions>>().Value;
        Assert.Equal((TimeSpan.FromMinutes(5), 7, 4096), (options.MaxClockSkew, options.DefaultPageSize, options.MaxRequestBytes));
    }

    [Theory]
    [InlineData("MaxClockSkew", "00:00:00")]
    [InlineData("MaxClockSkew", "-00:01:00")]
    [InlineData("MaxClockSkew", "01:00:01")]
    [InlineData("DefaultPageSize", "0")]
    [InlineData("DefaultPageSize", "101")]
    [InlineData("MaxRequestBytes", "0")]
    public async Task AddProtonApi_InvalidOption_HostDoesNotStart(string option, string value)
    {
        var e = await StartFailsAsync(new Dictionary<string, string?> { ["ProtonApi:Credentials:AKIDONE"] = "one", ["ProtonApi:" + option] = value });
        Assert.Contains("ProtonApi:" + option, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddProtonApi_NoCredentialsWithoutOptOut_HostDoesNotStart()
    {
        var e = await StartFailsAsync(new Dictionary<string, string?> { ["ProtonApi:Region"] = "us-east-1" });
        Assert.Contains("ProtonApi:AllowNoCredentials", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddProtonApi_NoCredentialsWithOptOut_HostStarts()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ProtonApi:AllowNoCredentials"] = "true" });
        builder.Services.AddProtonSdk(o => o.StoreDirectory = Path.GetTempPath());
        builder.Services.AddProtonApi(builder.Configuration.GetSection("ProtonApi"));
        await using var app = builder.Build();
        app.MapProtonApi();
        await app.StartAsync();
        Assert.True(app.Services.GetRequiredService<IOptions<ProtonApiOptions>>().Value.AllowNoCredentials);
        await app.StopAsync();
    }

    [Fact]
    public async Task MaxClockSkew_Configured_RequestOutsideItRefused()
    {
        await using var host = await ApiHost.StartAsync(configure: o => o.MaxClockSkew = TimeSpan.FromMinutes(2));
        var inside = await host.CallAsync("ListEnvironments", at: DateTimeOffset.UtcNow.AddSeconds(-90));
        var outside = await host.CallAsync("ListEnvironments", at: DateTimeOffset.UtcNow.AddMinutes(-3));
        Assert.Equal((200, 403), (inside.Status, outside.Status));
        Assert.Contains("Signature expired", outside.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultPageSize_Configured_PagesListsWithoutMaxResults()
    {
        await using var host = await ApiHost.StartAsync(configure: o => o.DefaultPageSize = 2);
        foreach (var name in new[] { "a", "b", "c" })
        {
            await host.OkAsync("CreateEnvironmentTemplate", new { name });
        }

        var first = await host.OkAsync("ListEnvironmentTemplates");
        Assert.Equal(2, first["templates"]!.AsArray().Count);
        var second = await host.OkAsync("ListEnvironmentTemplates", new { nextToken = first["nextToken"]!.GetValue<string>() });
        Assert.Single(second["templates"]!.AsArray());
        Assert.Null(second["nextToken"]);
    }

    private static async Task<OptionsValidationException> StartFailsAsync(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddProtonSdk(o => o.StoreDirectory = Path.GetTempPath());
        builder.Services.AddProtonApi(builder.Configuration.GetSection("ProtonApi"));
        await using var app = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            app.MapProtonApi();
            await app.StartAsync();
        });
    }
}
