using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Proton.Sdk.Hosting;
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
        var config = Config(("Proton:StoreDirectory", Path.Combine(_root, "store")), ("Proton:StacksDirectory", Path.Combine(_root, "stacks")), ("Proton:Platform:DefaultAccountId", "111122223333"));
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
        using var sp = new ServiceCollection().AddProtonSdk(Config(("StoreDirectory", " "), ("Platform:StackNamePrefix", "1bad"), ("Platform:DefaultAccountId", "12"), ("RolePolicyFile", "/nonexistent/policy.json"))).BuildServiceProvider();

        var thrown = Assert.ThrowsAny<Exception>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        var failures = thrown is AggregateException agg ? agg.InnerExceptions : [thrown];
        Assert.All(failures, f => Assert.IsType<OptionsValidationException>(f));
        var message = string.Join("\n", failures.Select(f => f.Message));
        var ex = new { Message = message };

        Assert.Contains("Proton:StoreDirectory", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Proton:Platform:StackNamePrefix", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Proton:Platform:DefaultAccountId", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Proton:ProviderSchemasDirectory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownProvisionerKey_SaysWhatToRegister()
    {
        using var sp = new ServiceCollection().AddProtonSdk(Config(("Provisioner", "cloudformation"))).BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<IProvisioner>());

        Assert.Contains("AddProtonAws", ex.Message, StringComparison.Ordinal);
    }

    private sealed class FixedAccount : IAccountIdSource
    {
        public ValueTask<string?> GetAccountIdAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>("444455556666");
    }

    [Fact]
    public async Task PlatformOptions_BindFromThePlatformSection_AndTheContainerSuppliesAccountAndProvisioners()
    {
        var config = Config(("Proton:StoreDirectory", Path.Combine(_root, "store")), ("Proton:Platform:StackNamePrefix", "acme"), ("Proton:Platform:LeaseDuration", "00:02:00"));
        var terraform = new Platform.ScriptedProvisioner();
        using var sp = new ServiceCollection()
            .AddSingleton<IAccountIdSource>(new FixedAccount())
            .AddKeyedSingleton<IProvisioner>(ProtonServiceCollectionExtensions.TerraformProvisionerKey, terraform)
            .AddProtonSdk(config.GetSection("Proton"))
            .BuildServiceProvider();
        sp.GetRequiredService<IStartupValidator>().Validate();

        var options = sp.GetRequiredService<IOptions<ProtonPlatformOptions>>().Value;
        var platform = sp.GetRequiredService<ProtonPlatform>();

        Assert.Equal(("acme", TimeSpan.FromMinutes(2)), (options.StackNamePrefix, options.LeaseDuration));
        Assert.Same(terraform, options.Provisioners[ProvisioningMethod.Terraform]);
        Assert.IsType<Proton.Sdk.Provisioning.CodeBuild.CodeBuildProvisioner>(options.Provisioners[ProvisioningMethod.CodeBuild]);
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        var v = await platform.Registry.RegisterVersionAsync("env", Platform.PlatformKit.Env());
        await platform.Registry.PublishAsync("env", v.Version.Version);
        await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" });
        var env = (await platform.GetEnvironmentAsync("dev"))!;
        Assert.Equal("444455556666", env.AccountId);
        Assert.StartsWith("acme-dev-", env.StackName, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionOverload_SetsBothOptions()
    {
        using var sp = new ServiceCollection()
            .AddProtonSdk(o => o.StoreDirectory = Path.Combine(_root, "coded"), p => p.StackNamePrefix = "coded")
            .BuildServiceProvider();

        Assert.Equal(Path.Combine(_root, "coded"), sp.GetRequiredService<IOptions<ProtonSdkOptions>>().Value.StoreDirectory);
        Assert.Equal("coded", sp.GetRequiredService<IOptions<ProtonPlatformOptions>>().Value.StackNamePrefix);
    }

    [Fact]
    public async Task RolePolicyFile_TurnsOnThePermissionCheck()
    {
        var policy = Path.Combine(_root, "policy.json");
        await File.WriteAllTextAsync(policy, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudformation:*","Resource":"*"}]}""");
        var config = Config(("Proton:StoreDirectory", Path.Combine(_root, "store")), ("Proton:RolePolicyFile", policy), ("Proton:ProviderSchemasDirectory", Path.Combine(Infrastructure.Corpus.RepoRoot, "..", "shared", "data", "provider-schemas")));
        using var sp = new ServiceCollection().AddProtonSdk(config.GetSection("Proton")).BuildServiceProvider();

        var platform = sp.GetRequiredService<ProtonPlatform>();

        Assert.NotNull(sp.GetRequiredService<IOptions<ProtonPlatformOptions>>().Value.PermissionCheck);
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        var v = await platform.Registry.RegisterVersionAsync("env", Platform.PlatformKit.Env());
        await platform.Registry.PublishAsync("env", v.Version.Version);
        var refused = await Assert.ThrowsAsync<PlatformException>(() => platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" }));
        Assert.Equal(PlatformErrorCodes.MissingPermissions, refused.ErrorCode);
    }
}
