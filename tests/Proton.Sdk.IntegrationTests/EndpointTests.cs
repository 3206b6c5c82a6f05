using Xunit.Sdk;

namespace Proton.Sdk.IntegrationTests;

public sealed class EndpointTests
{
    [Fact]
    public void NoEndpoint_Skips_ButFailsUnderCi()
    {
        Assert.Throws<Xunit.SkipException>(() => Endpoint.SkipOrFail(null, "no endpoint here", ci: false));
        var failed = Assert.Throws<FailException>(() => Endpoint.SkipOrFail(null, "no endpoint here", ci: true));
        Assert.Contains("no endpoint here", failed.Message, StringComparison.Ordinal);
        Endpoint.SkipOrFail("http://127.0.0.1:5000", string.Empty, ci: true); // an endpoint: neither
    }
}
