using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Tests.Hosting;

public sealed class AddProtonSdkTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("proton-di-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private IConfiguration Config(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void CallingTwice_AddsNothingTheSecondTime_AndHostRegistrationsWin()
    {
        var services = new ServiceCollection();
        var mine = new InMemoryProtonStore();
        services.AddSingleton<IProtonStore>(mine);
        services.AddProtonSdk();
        var count = services.Count;

        services.AddProtonSdk(Config(("StoreDirectory", "elsewhere")));

        Assert.Equal(count, services.Count);
        using var sp = services.BuildServiceProvider();
        Assert.Same(mine, sp.GetRequiredService<IProtonStore>());
        Assert.Same(sp.GetRequiredService<ProtonPlatform>().Registry, sp.GetRequiredService<TemplateRegistry>());
    }

    [Fact]
    public async Task OptionsBindFromConfiguration_AndThePlatformWorksEndToEnd()
    {
        var config = Config(("Proton:StoreDirectory", Path.Combine(_root, "store")), ("Proton:StacksDirectory", Path.Combine(_root, "stacks")), ("Proton:DefaultAccountId", "111122223333"));
        using var sp = new ServiceCollection().AddProtonSdk(config.GetSection("Proton")).BuildServiceProvider();
        sp.GetRequiredService<IStartupValidator>().Validate();

        var platform = sp.GetRequiredService<ProtonPlatform>();
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        var v = await platform.Registry.RegisterVersionAsync("env", Platform.PlatformKit.Env());
        await platform.Registry.PublishAsync("env", v.Version.Version);
        var d = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" });

        Assert.Equal(DeploymentStatus.Succeeded, d.Status);
        Assert.IsType<LocalProvisioner>(sp.GetRequiredService<IProvisioner>());
        Assert.True(Directory.Exists(Path.Combine(_root, "stacks", (await platform.GetEnvironmentAsync("dev"))!.StackName!)));
        Assert.True(Directory.Exists(Path.Combine(_root, "store")));
        Assert.Equal("111122223333", (await platform.GetEnvironmentAsync("dev"))!.AccountId);
    }

    [Fact]
    public void InvalidOptions_FailOnStart_NamingTheSetting()
    {
        using var sp = new ServiceCollection().AddProtonSdk(Config(("StoreDirectory", " "), ("StackNamePrefix", "1bad"))).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Proton:StoreDirectory", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Proton:StackNamePrefix", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownProvisionerKey_SaysWhatToRegister()
    {
        using var sp = new ServiceCollection().AddProtonSdk(Config(("Provisioner", "cloudformation"))).BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<IProvisioner>());

        Assert.Contains("AddProtonAws", ex.Message, StringComparison.Ordinal);
    }
}
