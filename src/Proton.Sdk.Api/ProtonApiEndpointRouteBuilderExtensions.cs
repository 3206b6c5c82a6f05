using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Proton.Sdk.Api;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps AWS Proton's JSON API onto a route.</summary>
public static class ProtonApiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves AWS Proton's API (awsJson 1.0: <c>POST</c> with <c>X-Amz-Target: AwsProton20200720.&lt;Operation&gt;</c>,
    /// SigV4-signed) at <paramref name="pattern"/>, over the <c>ProtonPlatform</c> in DI. Needs <c>AddProtonApi</c>.
    /// </summary>
    /// <param name="endpoints">The routes.</param>
    /// <param name="pattern">The route; <c>/</c> by default, where the AWS CLI and SDKs post.</param>
    /// <returns>The endpoint's builder.</returns>
    public static IEndpointConventionBuilder MapProtonApi(this IEndpointRouteBuilder endpoints, string pattern = "/")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var handler = endpoints.ServiceProvider.GetService<ProtonApiHandler>()
            ?? throw new InvalidOperationException("MapProtonApi needs services.AddProtonApi().");
        return endpoints.MapPost(pattern, (HttpContext context) => handler.HandleAsync(context));
    }
}
