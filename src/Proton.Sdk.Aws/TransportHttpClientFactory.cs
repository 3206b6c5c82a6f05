using Amazon.Runtime;

namespace Proton.Sdk.Aws;

/// <summary>Hands AWS SDK clients HTTP clients over a transport the caller owns (never disposed here).</summary>
internal sealed class TransportHttpClientFactory(HttpMessageHandler transport) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(transport, disposeHandler: false);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}
