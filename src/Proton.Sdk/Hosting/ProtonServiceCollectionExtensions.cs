using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Proton.Sdk.Hosting;
using Proton.Sdk.Platform;
using Proton.Sdk.Policies;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Provisioning.CodeBuild;
using Proton.Sdk.Rendering;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Proton.Sdk in a host's service collection.</summary>
public static class ProtonServiceCollectionExtensions
{
    /// <summary>The service key of the file-system store.</summary>
    public const string FileSystemStoreKey = "filesystem";

    /// <summary>The service key of the local provisioner.</summary>
    public const string LocalProvisionerKey = "local";

    /// <summary>The service key of the CodeBuild provisioner (local runner by default) used for <c>codebuild</c> bundles.</summary>
    public const string CodeBuildProvisionerKey = "codebuild";

    /// <summary>The service key a host (or Proton.Sdk.Terraform) registers a Terraform provisioner under, used for <c>hcl</c>/<c>terraform</c> bundles.</summary>
    public const string TerraformProvisionerKey = "terraform";

    /// <summary>
    /// Registers the store, renderer, provisioners, registry and <see cref="ProtonPlatform"/>. <see cref="ProtonSdkOptions"/>
    /// bind from <paramref name="configuration"/> (a section such as <c>Proton</c>) and <see cref="ProtonPlatformOptions"/>
    /// from its <c>Platform</c> subsection; both are validated on start. Uses TryAdd only, so a host's own registrations
    /// win; calling it twice adds nothing the second time. Stores and provisioners are keyed services:
    /// <see cref="ProtonSdkOptions.Store"/> and <see cref="ProtonSdkOptions.Provisioner"/> pick them by key, and a
    /// provisioner registered under <see cref="TerraformProvisionerKey"/> or <see cref="CodeBuildProvisionerKey"/> deploys the
    /// bundles whose manifest names that method. An <see cref="IAccountIdSource"/> in the container (AddProtonAws registers
    /// STS) answers <c>environment.account_id</c> when nothing else does.
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
            if (configure is not null)
            {
                services.Configure(configure);
            }

            return services;
        }

        services.AddSingleton<ProtonSdkMarker>();
        var options = services.AddOptions<ProtonSdkOptions>();
        var platformOptions = services.AddOptions<ProtonPlatformOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration);
            platformOptions.Bind(configuration.GetSection("Platform"));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        platformOptions.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProtonSdkOptions>, ProtonSdkOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProtonPlatformOptions>, ProtonSdkOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITemplateRenderer>(TemplateRenderer.Default);
        services.TryAddKeyedSingleton<IProtonStore>(FileSystemStoreKey, (sp, _) => new FileSystemProtonStore(sp.GetRequiredService<IOptions<ProtonSdkOptions>>().Value.StoreDirectory));
        services.TryAddKeyedSingleton<IProvisioner>(LocalProvisionerKey, (sp, _) =>
        {
            var o = sp.GetRequiredService<IOptions<ProtonSdkOptions>>().Value;
            var account = sp.GetRequiredService<IOptions<ProtonPlatformOptions>>().Value.DefaultAccountId;
            return new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = o.StacksDirectory ?? Path.Combine(o.StoreDirectory, "stacks"), AccountId = account ?? "123456789012" }, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddKeyedSingleton<IProvisioner>(CodeBuildProvisionerKey, (sp, _) =>
        {
            var o = sp.GetRequiredService<IOptions<ProtonSdkOptions>>().Value;
            return new CodeBuildProvisioner(new LocalCodeBuildRunner(new LocalCodeBuildRunnerOptions { RootDirectory = Path.Combine(o.StoreDirectory, "codebuild") }), new CodeBuildProvisionerOptions { StateDirectory = Path.Combine(o.StoreDirectory, "codebuild-state") }, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(sp => Keyed<IProtonStore>(sp, sp.GetRequiredService<IOptions<ProtonSdkOptions>>().Value.Store, "Proton:Store", "AddProtonAws registers 's3' and 'dynamodb'"));
        services.TryAddSingleton(sp => Keyed<IProvisioner>(sp, sp.GetRequiredService<IOptions<ProtonSdkOptions>>().Value.Provisioner, "Proton:Provisioner", "AddProtonAws registers 'cloudformation'"));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ProtonSdkOptions>>().Value;
            var platform = sp.GetRequiredService<IOptions<ProtonPlatformOptions>>().Value;
            if (platform.DefaultAccountId is null && sp.GetService<IServiceProviderIsService>()?.IsService(typeof(IAccountIdSource)) != false)
            {
                // Resolved on first use: an STS source resolves credentials, which a host that never needs the account may not have.
                platform.AccountIdSource ??= new DeferredAccountIdSource(sp);
            }

            AddProvisioner(sp, platform, ProvisioningMethod.Terraform, TerraformProvisionerKey);
            AddProvisioner(sp, platform, ProvisioningMethod.CodeBuild, CodeBuildProvisionerKey);
            if (platform.PermissionCheck is null && o.RolePolicyFile is { } policy && o.ProviderSchemasDirectory is { } schemas)
            {
                platform.PermissionCheck = new PermissionCheck(File.ReadAllText(policy), new ProviderSchemaFolderSource(schemas));
            }

            return new ProtonPlatform(sp.GetRequiredService<IProtonStore>(), sp.GetRequiredService<IProvisioner>(), platform, sp.GetRequiredService<ITemplateRenderer>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<ProtonPlatform>>());
        });
        services.TryAddSingleton<TemplateRegistry>(sp => sp.GetRequiredService<ProtonPlatform>().Registry);
        return services;
    }

    /// <summary>Registers Proton.Sdk with options set in code (see <see cref="AddProtonSdk(IServiceCollection, IConfiguration?, Action{ProtonSdkOptions}?)"/>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="configurePlatform">Sets the platform's options, or null.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddProtonSdk(this IServiceCollection services, Action<ProtonSdkOptions> configure, Action<ProtonPlatformOptions>? configurePlatform = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddProtonSdk(null, configure);
        if (configurePlatform is not null)
        {
            services.Configure(configurePlatform);
        }

        return services;
    }

    private static void AddProvisioner(IServiceProvider sp, ProtonPlatformOptions platform, ProvisioningMethod method, string key)
    {
        if (!platform.Provisioners.ContainsKey(method) && sp.GetKeyedService<IProvisioner>(key) is { } provisioner)
        {
            platform.Provisioners[method] = provisioner;
        }
    }

    private static T Keyed<T>(IServiceProvider sp, string key, string setting, string hint)
        where T : notnull
        => sp.GetKeyedService<T>(key) ?? throw new InvalidOperationException($"{setting} is '{key}', but no {typeof(T).Name} is registered under that key ({hint}).");

    private sealed class ProtonSdkMarker;

    private sealed class DeferredAccountIdSource(IServiceProvider services) : IAccountIdSource
    {
        private readonly Lazy<IAccountIdSource?> _source = new(services.GetService<IAccountIdSource>);

        public ValueTask<string?> GetAccountIdAsync(CancellationToken cancellationToken = default)
            => _source.Value?.GetAccountIdAsync(cancellationToken) ?? ValueTask.FromResult<string?>(null);
    }
}
