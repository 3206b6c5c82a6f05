using Proton.Sdk.Platform;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Tests.Platform;

public sealed class AccountIdSourceTests
{
    private sealed class CountingSource(string? id) : IAccountIdSource
    {
        public int Calls { get; private set; }

        public ValueTask<string?> GetAccountIdAsync(CancellationToken cancellationToken = default)
        {
            Calls++;
            return ValueTask.FromResult(id);
        }
    }

    private static async Task<ProtonPlatform> PlatformAsync(ProtonPlatformOptions options)
    {
        var platform = new ProtonPlatform(new InMemoryProtonStore(), new ScriptedProvisioner(), options);
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        await PlatformKit.RegisterAsync(platform, "env", PlatformKit.Env(), "1.0.0");
        return platform;
    }

    [Fact]
    public async Task CreateEnvironment_WithoutAccount_AsksTheSource()
    {
        var source = new CountingSource("210987654321");
        var platform = await PlatformAsync(new ProtonPlatformOptions { AccountIdSource = source });

        await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" });

        Assert.Equal("210987654321", (await platform.GetEnvironmentAsync("dev"))!.AccountId);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task CreateEnvironment_RequestOrDefaultAccountWins_AndTheSourceIsNotAsked()
    {
        var source = new CountingSource("210987654321");
        var platform = await PlatformAsync(new ProtonPlatformOptions { AccountIdSource = source, DefaultAccountId = "111111111111" });

        await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "a", TemplateName = "env" });
        await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "b", TemplateName = "env", AccountId = "222222222222" });

        Assert.Equal("111111111111", (await platform.GetEnvironmentAsync("a"))!.AccountId);
        Assert.Equal("222222222222", (await platform.GetEnvironmentAsync("b"))!.AccountId);
        Assert.Equal(0, source.Calls);
    }
}
