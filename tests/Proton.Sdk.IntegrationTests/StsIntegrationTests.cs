using Microsoft.Extensions.DependencyInjection;
using Proton.Sdk.Platform;

namespace Proton.Sdk.IntegrationTests;

/// <summary>The account source that AddProtonAws registers asks STS GetCallerIdentity, which the endpoint serves.</summary>
public sealed class StsIntegrationTests
{
    [SkippableFact]
    public async Task AddProtonAws_AccountIdSource_IsTheCallersAccountFromSts()
    {
        var url = Endpoint.Require();
        using var sp = new ServiceCollection().AddProtonAws(c => { c.ServiceUrl = url; c.Region = "us-east-1"; }).BuildServiceProvider();

        var source = sp.GetRequiredService<IAccountIdSource>();

        Assert.Equal("123456789012", await source.GetAccountIdAsync()); // moto's account
        Assert.Same(source, sp.GetRequiredService<IAccountIdSource>());
    }
}
