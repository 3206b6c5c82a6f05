using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Proton.Sdk;
using Proton.Sdk.Aws;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Hosting;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Aws.Sts;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the AWS implementations of Proton.Sdk in a host's service collection.</summary>
public static class ProtonAwsServiceCollectionExtensions
{
    /// <summary>The service key of the S3 store (<c>Proton:Store</c> = <c>s3</c>).</summary>
    public const string S3StoreKey = "s3";

    /// <summary>The service key of the DynamoDB store (<c>Proton:Store</c> = <c>dynamodb</c>).</summary>
    public const string DynamoDbStoreKey = "dynamodb";

    /// <summary>The sub-section of the AWS section that binds <see cref="DynamoDbStoreOptions"/>.</summary>
    public const string DynamoDbStoreSection = "DynamoDbStore";

    /// <summary>The service key of the CloudFormation provisioner (<c>Proton:Provisioner</c> = <c>cloudformation</c>).</summary>
    public const string CloudFormationKey = "cloudformation";

    /// <summary>The sub-section of the AWS section that binds <see cref="CloudFormationProvisionerOptions"/>.</summary>
    public const string CloudFormationSection = "CloudFormation";

    /// <summary>The sub-section of the AWS section that binds <see cref="S3StoreOptions"/>.</summary>
    public const string S3StoreSection = "S3Store";

    /// <summary>
    /// Registers the AWS components with options bound from <paramref name="configuration"/> (a section such as
    /// <c>Proton:Aws</c>): the section itself binds <see cref="AwsConnectionOptions"/> (<c>Region</c>, <c>Profile</c>,
    /// <c>ServiceUrl</c>, <c>ForcePathStyle</c>, <c>MaxAttempts</c>), its <c>CloudFormation</c> sub-section
    /// <see cref="CloudFormationProvisionerOptions"/>, its <c>S3Store</c> sub-section <see cref="S3StoreOptions"/> and its
    /// <c>DynamoDbStore</c> sub-section <see cref="DynamoDbStoreOptions"/>.
    /// Otherwise as <see cref="AddProtonAws(IServiceCollection, Action{AwsConnectionOptions}?, Action{CloudFormationProvisionerOptions}?, Action{S3StoreOptions}?)"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The AWS section.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddProtonAws(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AwsConnectionOptions>().Bind(configuration);
        services.AddOptions<CloudFormationProvisionerOptions>().Bind(configuration.GetSection(CloudFormationSection));
        services.AddOptions<S3StoreOptions>().Bind(configuration.GetSection(S3StoreSection));
        services.AddOptions<DynamoDbStoreOptions>().Bind(configuration.GetSection(DynamoDbStoreSection));
        return services.AddProtonAws();
    }

    /// <summary>
    /// Registers the CloudFormation provisioner (key <c>cloudformation</c>), the S3 store (key <c>s3</c>), the DynamoDB store
    /// (key <c>dynamodb</c>, options <see cref="DynamoDbStoreOptions"/>: configure them with
    /// <c>services.Configure&lt;DynamoDbStoreOptions&gt;</c> or the <c>DynamoDbStore</c> section), and the STS
    /// account source (<see cref="IAccountIdSource"/>); select the provisioner and store with <c>Proton:Provisioner</c> and
    /// <c>Proton:Store</c>. Every component shares one <see cref="AwsConnectionOptions"/>; what it leaves unset comes from
    /// a host's <c>AWSOptions</c> (<c>AddDefaultAWSOptions</c> of AWSSDK.Extensions.NETCore.Setup) when there is one,
    /// then from the SDK's chains. Options are validated on start (<see cref="IValidateOptions{TOptions}"/>). Calls
    /// <c>AddProtonSdk</c>; services are added with TryAdd only, so a host's own registrations win, and a second call
    /// adds no service (its configure actions still apply).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configureConnection">Changes the connection settings, or null.</param>
    /// <param name="configureCloudFormation">Changes the provisioner's options, or null.</param>
    /// <param name="configureS3Store">Changes the S3 store's options, or null.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddProtonAws(this IServiceCollection services, Action<AwsConnectionOptions>? configureConnection = null, Action<CloudFormationProvisionerOptions>? configureCloudFormation = null, Action<S3StoreOptions>? configureS3Store = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProtonSdk();
        if (configureConnection is not null)
        {
            services.Configure(configureConnection);
        }

        if (configureCloudFormation is not null)
        {
            services.Configure(configureCloudFormation);
        }

        if (configureS3Store is not null)
        {
            services.Configure(configureS3Store);
        }

        if (services.Any(d => d.ServiceType == typeof(ProtonAwsMarker)))
        {
            return services;
        }

        services.TryAddSingleton<ProtonAwsMarker>();
        services.AddOptions<AwsConnectionOptions>().ValidateOnStart();
        services.AddOptions<CloudFormationProvisionerOptions>().ValidateOnStart();
        services.AddOptions<S3StoreOptions>().ValidateOnStart();
        services.AddOptions<DynamoDbStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<AwsConnectionOptions>, HostAwsOptionsDefaults>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsConnectionOptions>, AwsConnectionOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CloudFormationProvisionerOptions>, CloudFormationProvisionerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<S3StoreOptions>, S3StoreOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DynamoDbStoreOptions>, DynamoDbStoreOptionsValidator>());

        services.TryAddKeyedSingleton<IProvisioner>(CloudFormationKey, (sp, _) => new CloudFormationProvisioner(
            sp.GetRequiredService<IOptions<CloudFormationProvisionerOptions>>().Value,
            sp.GetRequiredService<IOptions<AwsConnectionOptions>>().Value,
            transport: null,
            sp.GetService<TimeProvider>()));
        services.TryAddKeyedSingleton<IProtonStore>(S3StoreKey, (sp, _) => new S3ProtonStore(
            sp.GetRequiredService<IOptions<S3StoreOptions>>().Value,
            sp.GetRequiredService<IOptions<AwsConnectionOptions>>().Value));
        services.TryAddKeyedSingleton<IProtonStore>(DynamoDbStoreKey, (sp, _) => new DynamoDbProtonStore(
            sp.GetRequiredService<IOptions<DynamoDbStoreOptions>>().Value,
            sp.GetRequiredService<IOptions<AwsConnectionOptions>>().Value));
        services.TryAddSingleton<IAccountIdSource>(sp => new StsAccountIdSource(sp.GetRequiredService<IOptions<AwsConnectionOptions>>().Value));
        return services;
    }

    private sealed class ProtonAwsMarker;
}
