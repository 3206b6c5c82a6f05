using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Rendering;
using Proton.Sdk.Storage;
using Proton.Sdk.Versioning;

namespace Proton.Sdk;

/// <summary>Options of <see cref="ProtonServiceCollectionExtensions.AddProtonSdk"/>, bound from a configuration section such as <c>Proton</c>.</summary>
public sealed class ProtonSdkOptions
{
    /// <summary>Which store: <c>filesystem</c> (default) or a store another package registers (<c>s3</c> with AddProtonAws).</summary>
    public string Store { get; set; } = "filesystem";

    /// <summary>The file-system store's folder. Default <c>.proton</c>.</summary>
    public string StoreDirectory { get; set; } = ".proton";

    /// <summary>Which provisioner: <c>local</c> (default) or one another package registers (<c>cloudformation</c> with AddProtonAws).</summary>
    public string Provisioner { get; set; } = "local";

    /// <summary>The local provisioner's folder; <c>{StoreDirectory}/stacks</c> when null.</summary>
    public string? StacksDirectory { get; set; }

    /// <summary>See <see cref="ProtonPlatformOptions.DefaultAccountId"/>.</summary>
    public string? DefaultAccountId { get; set; }

    /// <summary>See <see cref="ProtonPlatformOptions.StackNamePrefix"/>.</summary>
    public string StackNamePrefix { get; set; } = "proton";
}

/// <summary>Registers Proton.Sdk in a host's service collection.</summary>
public static class ProtonServiceCollectionExtensions
{
    /// <summary>The service key of the file-system store.</summary>
    public const string FileSystemStoreKey = "filesystem";

    /// <summary>The service key of the local provisioner.</summary>
    public const string LocalProvisionerKey = "local";

    /// <summary>
    /// Registers the store, renderer, provisioner, registry and <see cref="ProtonPlatform"/> with options bound from
    /// <paramref name="configuration"/> (a section such as <c>Proton</c>) and validated on start. Uses TryAdd only, so a
    /// host's own registrations win; calling it twice adds nothing the second time. Stores and provisioners are keyed
    /// services: <see cref="ProtonSdkOptions.Store"/> and <see cref="ProtonSdkOptions.Provisioner"/> pick them by key.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section, or null.</param>
    /// <param name="configure">Changes after binding, or null.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddProtonSdk(this IServiceCollection services, IConfiguration? configuration = null, Action<ProtonSdkOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(ProtonSdkMarker)))
        {
            return services;
        }

        services.AddSingleton<ProtonSdkMarker>();
        var options = services.AddOptions<ProtonSdkOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => !string.IsNullOrWhiteSpace(o.StoreDirectory), "Proton:StoreDirectory must be set.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Store), "Proton:Store must name a store (filesystem, s3).")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Provisioner), "Proton:Provisioner must name a provisioner (local, cloudformation).")
            .Validate(o => ProtonNamesOk(o.StackNamePrefix), "Proton:StackNamePrefix is a letter followed by letters, digits and '-', at most 32 characters.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITemplateRenderer>(TemplateRenderer.Default);
        services.TryAddKeyedSingleton<IProtonStore>(FileSystemStoreKey, (sp, _) => new FileSystemProtonStore(sp.GetRequiredService<IOptions<ProtonSdkOptions>>().Value.StoreDirectory));
        services.TryAddKeyedSingleton<IProvisioner>(LocalProvisionerKey, (sp, _) =>
        {
            var o = sp.GetRequiredService<IOptions<ProtonSdkOptions>>().Value;
            return new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = o.StacksDirectory ?? Path.Combine(o.StoreDirectory, "stacks"), AccountId = o.DefaultAccountId ?? "123456789012" }, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(sp => Keyed<IProtonStore>(sp, sp.GetRequiredService<IOptions<ProtonSdkOptions>>().Value.Store, "Proton:Store", "AddProtonAws registers 's3'"));
        services.TryAddSingleton(sp => Keyed<IProvisioner>(sp, sp.GetRequiredService<IOptions<ProtonSdkOptions>>().Value.Provisioner, "Proton:Provisioner", "AddProtonAws registers 'cloudformation'"));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ProtonSdkOptions>>().Value;
            var platformOptions = new ProtonPlatformOptions { DefaultAccountId = o.DefaultAccountId, StackNamePrefix = o.StackNamePrefix };
            return new ProtonPlatform(sp.GetRequiredService<IProtonStore>(), sp.GetRequiredService<IProvisioner>(), platformOptions, sp.GetRequiredService<ITemplateRenderer>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<Microsoft.Extensions.Logging.ILogger<ProtonPlatform>>());
        });
        services.TryAddSingleton<TemplateRegistry>(sp => sp.GetRequiredService<ProtonPlatform>().Registry);
        return services;
    }

    private static bool ProtonNamesOk(string prefix)
        => prefix is { Length: > 0 and <= 32 } && char.IsAsciiLetter(prefix[0]) && prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static T Keyed<T>(IServiceProvider sp, string key, string setting, string hint)
        where T : notnull
        => sp.GetKeyedService<T>(key) ?? throw new InvalidOperationException($"{setting} is '{key}', but no {typeof(T).Name} is registered under that key ({hint}).");

    private sealed class ProtonSdkMarker;
}
