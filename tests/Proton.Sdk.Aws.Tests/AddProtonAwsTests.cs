using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Aws.Sts;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Aws.Tests;

public sealed class AddProtonAwsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static readonly AWSCredentials TestCredentials = new BasicAWSCredentials("test", "test");

    [Fact]
    public void CallingTwice_AddsNothingTheSecondTime()
    {
        var services = new ServiceCollection().AddProtonAws();
        var count = services.Count;

        services.AddProtonAws().AddProtonSdk();

        Assert.Equal(count, services.Count);
    }

    [Fact]
    public void SelectedByConfiguration_CloudFormationAndS3_EachComponentBoundFromItsSection()
    {
        var config = Config(
            ("Proton:Provisioner", "cloudformation"), ("Proton:Store", "s3"),
            ("Proton:Aws:Region", "eu-west-1"), ("Proton:Aws:ServiceUrl", "http://127.0.0.1:1"), ("Proton:Aws:ForcePathStyle", "true"), ("Proton:Aws:MaxAttempts", "3"),
            ("Proton:Aws:S3Store:BucketName", "b"), ("Proton:Aws:S3Store:Prefix", "p/"),
            ("Proton:Aws:CloudFormation:RoleArn", "arn:aws:iam::123456789012:role/proton"), ("Proton:Aws:CloudFormation:MinPollInterval", "00:00:03"));
        using var sp = new ServiceCollection().AddProtonSdk(config.GetSection("Proton")).AddProtonAws(config.GetSection("Proton:Aws"))
            .Configure<AwsConnectionOptions>(o => o.Credentials = TestCredentials).BuildServiceProvider();
        sp.GetRequiredService<IStartupValidator>().Validate();

        var connection = sp.GetRequiredService<IOptions<AwsConnectionOptions>>().Value;
        Assert.Equal(("eu-west-1", "http://127.0.0.1:1", true, 3), (connection.Region, connection.ServiceUrl, connection.ForcePathStyle, connection.MaxAttempts));
        var cfn = sp.GetRequiredService<IOptions<CloudFormationProvisionerOptions>>().Value;
        Assert.Equal(("arn:aws:iam::123456789012:role/proton", TimeSpan.FromSeconds(3)), (cfn.RoleArn, cfn.MinPollInterval));
        Assert.Equal(("b", "p/"), (sp.GetRequiredService<IOptions<S3StoreOptions>>().Value.BucketName, sp.GetRequiredService<IOptions<S3StoreOptions>>().Value.Prefix));
        var provisioner = Assert.IsType<CloudFormationProvisioner>(sp.GetRequiredService<IProvisioner>());
        Assert.Equal(new Uri("http://127.0.0.1:1/"), provisioner.Client.Endpoint);
        Assert.IsType<S3ProtonStore>(sp.GetRequiredService<IProtonStore>());
        Assert.IsType<StsAccountIdSource>(sp.GetRequiredService<IAccountIdSource>());
    }

    [Fact]
    public void ActionOverloads_ConfigureEachComponent_AndWinOverConfiguration()
    {
        var services = new ServiceCollection()
            .AddProtonAws(Config(("Region", "eu-west-1"), ("CloudFormation:RoleArn", "arn:aws:iam::1:role/a")))
            .AddProtonAws(c => c.Region = "ap-southeast-2", cf => cf.WaitWhenBusy = true, s3 => s3.BucketName = "from-code");
        using var sp = services.BuildServiceProvider();

        Assert.Equal("ap-southeast-2", sp.GetRequiredService<IOptions<AwsConnectionOptions>>().Value.Region);
        var cfn = sp.GetRequiredService<IOptions<CloudFormationProvisionerOptions>>().Value;
        Assert.Equal(("arn:aws:iam::1:role/a", true), (cfn.RoleArn, cfn.WaitWhenBusy));
        Assert.Equal("from-code", sp.GetRequiredService<IOptions<S3StoreOptions>>().Value.BucketName);
    }

    [Fact]
    public void InvalidAwsOptions_FailOnStart_NamingEachSetting()
    {
        var config = Config(("ServiceUrl", "not a url"), ("Region", "Mars"), ("MaxAttempts", "0"), ("CloudFormation:RoleArn", "role"), ("CloudFormation:MinPollInterval", "00:00:00.010"));
        using var sp = new ServiceCollection().AddProtonAws(config).BuildServiceProvider();

        var ex = Assert.Throws<AggregateException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        var message = string.Join("\n", ex.InnerExceptions.Select(e => e.Message));

        foreach (var setting in new[] { "Proton:Aws:ServiceUrl", "Proton:Aws:Region", "Proton:Aws:MaxAttempts", "Proton:Aws:CloudFormation:RoleArn", "Proton:Aws:CloudFormation:MinPollInterval" })
        {
            Assert.Contains(setting, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void S3StoreSelected_WithoutBucket_FailsOnStart()
    {
        var config = Config(("Proton:Store", "s3"));
        using var sp = new ServiceCollection().AddProtonSdk(config.GetSection("Proton")).AddProtonAws(config.GetSection("Proton:Aws")).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Proton:Aws:S3Store:BucketName", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DynamoDbStoreSelectedByConfiguration_IsBoundFromItsSection()
    {
        var config = Config(
            ("Proton:Store", "dynamodb"), ("Proton:Aws:Region", "eu-west-1"), ("Proton:Aws:ServiceUrl", "http://127.0.0.1:1"),
            ("Proton:Aws:DynamoDbStore:TableName", "proton-records"), ("Proton:Aws:DynamoDbStore:BucketName", "proton-blobs"), ("Proton:Aws:DynamoDbStore:Prefix", "team-a/"));
        using var sp = new ServiceCollection().AddProtonSdk(config.GetSection("Proton")).AddProtonAws(config.GetSection("Proton:Aws"))
            .Configure<AwsConnectionOptions>(o => o.Credentials = TestCredentials).BuildServiceProvider();
        sp.GetRequiredService<IStartupValidator>().Validate();

        var options = sp.GetRequiredService<IOptions<DynamoDbStoreOptions>>().Value;
        Assert.Equal(("proton-records", "proton-blobs", "team-a/"), (options.TableName, options.BucketName, options.Prefix));
        Assert.IsType<DynamoDbProtonStore>(sp.GetRequiredService<IProtonStore>());
        Assert.Same(sp.GetRequiredService<IProtonStore>(), sp.GetRequiredKeyedService<IProtonStore>(ProtonAwsServiceCollectionExtensions.DynamoDbStoreKey));
    }

    [Fact]
    public void DynamoDbStoreConfiguredInCode_WinsOverConfiguration()
    {
        var config = Config(("Proton:Store", "dynamodb"), ("Proton:Aws:DynamoDbStore:TableName", "from-config"), ("Proton:Aws:DynamoDbStore:BucketName", "b"));
        using var sp = new ServiceCollection().AddProtonSdk(config.GetSection("Proton")).AddProtonAws(config.GetSection("Proton:Aws"))
            .Configure<DynamoDbStoreOptions>(o => o.TableName = "from-code").BuildServiceProvider();

        Assert.Equal(("from-code", "b"), (sp.GetRequiredService<IOptions<DynamoDbStoreOptions>>().Value.TableName, sp.GetRequiredService<IOptions<DynamoDbStoreOptions>>().Value.BucketName));
    }

    [Fact]
    public void DynamoDbStoreSelected_WithoutTableOrBucket_FailsOnStart_NamingBoth()
    {
        var config = Config(("Proton:Store", "dynamodb"));
        using var sp = new ServiceCollection().AddProtonSdk(config.GetSection("Proton")).AddProtonAws(config.GetSection("Proton:Aws")).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Proton:Aws:DynamoDbStore:TableName", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Proton:Aws:DynamoDbStore:BucketName", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DynamoDbStoreNotSelected_NeedsNoTable()
    {
        var config = Config(("Proton:Store", "s3"), ("Proton:Aws:Region", "eu-west-1"), ("Proton:Aws:S3Store:BucketName", "b"));
        using var sp = new ServiceCollection().AddProtonSdk(config.GetSection("Proton")).AddProtonAws(config.GetSection("Proton:Aws"))
            .Configure<AwsConnectionOptions>(o => o.Credentials = TestCredentials).BuildServiceProvider();

        sp.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<S3ProtonStore>(sp.GetRequiredService<IProtonStore>());
    }

    [Fact]
    public void HostAwsOptions_FillWhatProtonAwsLeavesUnset()
    {
        var host = new AWSOptions { Region = RegionEndpoint.EUCentral1, Profile = "team", Credentials = TestCredentials };
        host.DefaultClientConfig.ServiceURL = "http://localhost:4566";
        using var sp = new ServiceCollection().AddDefaultAWSOptions(host).AddProtonAws(c => c.Profile = "mine").BuildServiceProvider();

        var connection = sp.GetRequiredService<IOptions<AwsConnectionOptions>>().Value;

        Assert.Equal(("eu-central-1", "mine", "http://localhost:4566"), (connection.Region, connection.Profile, connection.ServiceUrl));
        Assert.Same(TestCredentials, connection.Credentials);
        var provisioner = Assert.IsType<CloudFormationProvisioner>(sp.GetRequiredKeyedService<IProvisioner>(ProtonAwsServiceCollectionExtensions.CloudFormationKey));
        Assert.Equal(new Uri("http://localhost:4566/"), provisioner.Client.Endpoint);
    }

    [Fact]
    public void HostRegistrations_Win_TryAddOnly()
    {
        var mine = new FixedAccount();
        using var sp = new ServiceCollection().AddSingleton<IAccountIdSource>(mine).AddProtonAws().BuildServiceProvider();

        Assert.Same(mine, sp.GetRequiredService<IAccountIdSource>());
    }

    [Theory]
    [InlineData("s3://bucket/path/bundle.tar.gz", "bucket", "path/bundle.tar.gz")]
    public void S3Uri_Parses(string uri, string bucket, string key) => Assert.Equal((bucket, key), S3BundleSource.Parse(uri));

    [Theory]
    [InlineData("http://bucket/key")]
    [InlineData("s3://bucket")]
    [InlineData("s3://bucket/")]
    public void S3Uri_Invalid(string uri) => Assert.Throws<ArgumentException>(() => S3BundleSource.Parse(uri));

    private sealed class FixedAccount : IAccountIdSource
    {
        public ValueTask<string?> GetAccountIdAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>("111111111111");
    }
}
