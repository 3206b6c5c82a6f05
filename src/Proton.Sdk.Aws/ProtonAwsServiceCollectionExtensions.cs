using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Aws;

/// <summary>Options of <see cref="ProtonAwsServiceCollectionExtensions.AddProtonAws"/>, bound from a section such as <c>Proton:Aws</c>.</summary>
public sealed class ProtonAwsOptions
{
    /// <summary>The region; the SDK's chain when null.</summary>
    public string? Region { get; set; }

    /// <summary>A shared-config profile; the SDK's chain when null.</summary>
    public string? Profile { get; set; }

    /// <summary>One endpoint for every service (moto, LocalStack); else <c>AWS_ENDPOINT_URL*</c>, then AWS.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Path-style S3 addressing (S3-compatible endpoints).</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>The bucket of the S3 store (key <c>s3</c>).</summary>
    public string? StoreBucket { get; set; }

    /// <summary>The S3 store's key prefix.</summary>
    public string StorePrefix { get; set; } = "proton/";

    /// <summary>The role CloudFormation uses.</summary>
    public string? RoleArn { get; set; }

    /// <summary>The bucket for templates over 51,200 bytes.</summary>
    public string? TemplateBucket { get; set; }

    /// <summary>The shortest wait between polls.</summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between polls.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Wait for a busy stack instead of failing.</summary>
    public bool WaitWhenBusy { get; set; }
}

/// <summary>Registers the AWS implementations of Proton.Sdk.</summary>
public static class ProtonAwsServiceCollectionExtensions
{
    /// <summary>The service key of the S3 store.</summary>
    public const string S3StoreKey = "s3";

    /// <summary>The service key of the CloudFormation provisioner.</summary>
    public const string CloudFormationKey = "cloudformation";

    /// <summary>
    /// Registers the CloudFormation provisioner (key <c>cloudformation</c>) and the S3 store (key <c>s3</c>) with options bound
    /// from <paramref name="configuration"/> and validated on start; select them with <c>Proton:Provisioner</c> and
    /// <c>Proton:Store</c>. Calls <see cref="ProtonServiceCollectionExtensions.AddProtonSdk"/>; TryAdd only; safe to call twice.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, or null.</param>
    /// <param name="configure">Changes after binding, or null.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddProtonAws(this IServiceCollection services, IConfiguration? configuration = null, Action<ProtonAwsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProtonSdk();
        if (services.Any(d => d.ServiceType == typeof(ProtonAwsMarker)))
        {
            return services;
        }

        services.AddSingleton<ProtonAwsMarker>();
        var options = services.AddOptions<ProtonAwsOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.ServiceUrl is null || Uri.TryCreate(o.ServiceUrl, UriKind.Absolute, out _), "Proton:Aws:ServiceUrl must be an absolute URL.")
            .Validate(o => o.MinPollInterval >= TimeSpan.FromMilliseconds(100) && o.MaxPollInterval >= o.MinPollInterval, "Proton:Aws poll intervals: MinPollInterval at least 100 ms and MaxPollInterval at least MinPollInterval.")
            .Validate(o => o.RoleArn is null || o.RoleArn.StartsWith("arn:", StringComparison.Ordinal), "Proton:Aws:RoleArn must be an ARN.")
            .ValidateOnStart();

        services.TryAddKeyedSingleton<IProvisioner>(CloudFormationKey, (sp, _) =>
        {
            var o = sp.GetRequiredService<IOptions<ProtonAwsOptions>>().Value;
            return new CloudFormationProvisioner(new CloudFormationProvisionerOptions
            {
                Connection = new AwsConnectionOptions { Region = o.Region, Profile = o.Profile, ServiceUrl = o.ServiceUrl },
                RoleArn = o.RoleArn,
                TemplateBucket = o.TemplateBucket,
                ForcePathStyle = o.ForcePathStyle,
                MinPollInterval = o.MinPollInterval,
                MaxPollInterval = o.MaxPollInterval,
                WaitWhenBusy = o.WaitWhenBusy,
            });
        });
        services.TryAddKeyedSingleton<IProtonStore>(S3StoreKey, (sp, _) =>
        {
            var o = sp.GetRequiredService<IOptions<ProtonAwsOptions>>().Value;
            if (string.IsNullOrWhiteSpace(o.StoreBucket))
            {
                throw new InvalidOperationException("Proton:Store is 's3' but Proton:Aws:StoreBucket is not set.");
            }

            return new S3ProtonStore(new S3StoreOptions { BucketName = o.StoreBucket, Prefix = o.StorePrefix, Region = o.Region, ServiceUrl = o.ServiceUrl, ForcePathStyle = o.ForcePathStyle });
        });
        return services;
    }

    private sealed class ProtonAwsMarker;
}
