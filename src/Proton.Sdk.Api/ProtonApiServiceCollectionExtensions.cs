using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Proton.Sdk.Api;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Proton API's services; map the endpoint with <c>MapProtonApi</c>.</summary>
public static class ProtonApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Proton API: its options (validated on start), the background runner of deployments (a hosted
    /// service), and the tag store. The <c>ProtonPlatform</c> comes from DI (<c>AddProtonSdk</c>). TryAdd only; safe to
    /// call twice.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (credentials, region, account), or null.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddProtonApi(this IServiceCollection services, Action<ProtonApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ProtonApiOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProtonApiOptions>, ProtonApiOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BackgroundDeployments>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Hosting.IHostedService, BackgroundDeployments>(sp => sp.GetRequiredService<BackgroundDeployments>()));
        services.TryAddSingleton<ProtonApiHandler>();
        return services;
    }

    /// <summary>
    /// Registers the Proton API with options bound from <paramref name="configuration"/> (a section such as
    /// <c>ProtonApi</c>) with the options pattern: <c>Region</c>, <c>AccountId</c>, <c>Credentials:&lt;AccessKeyId&gt;</c> =
    /// secret, <c>AllowNoCredentials</c>, <c>MaxClockSkew</c>, <c>MaxRequestBytes</c>, <c>DefaultPageSize</c>; validated
    /// on start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section.</param>
    /// <param name="configure">Changes after binding, or null.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddProtonApi(this IServiceCollection services, IConfiguration configuration, Action<ProtonApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ProtonApiOptions>().Bind(configuration);
        return services.AddProtonApi(configure);
    }
}
