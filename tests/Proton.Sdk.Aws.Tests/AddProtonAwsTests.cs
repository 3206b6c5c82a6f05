using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Aws.Tests;

public sealed class AddProtonAwsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void CallingTwice_AddsNothingTheSecondTime()
    {
        var services = new ServiceCollection().AddProtonAws();
        var count = services.Count;

        services.AddProtonAws().AddProtonSdk();

        Assert.Equal(count, services.Count);
    }

    [Fact]
    public void SelectedByConfiguration_CloudFormationAndS3()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "test");
        var config = Config(("Proton:Provisioner", "cloudformation"), ("Proton:Store", "s3"), ("Proton:Aws:Region", "eu-west-1"), ("Proton:Aws:ServiceUrl", "http://127.0.0.1:1"), ("Proton:Aws:StoreBucket", "b"), ("Proton:Aws:ForcePathStyle", "true"));
        using var sp = new ServiceCollection().AddProtonSdk(config.GetSection("Proton")).AddProtonAws(config.GetSection("Proton:Aws")).BuildServiceProvider();
        sp.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<CloudFormationProvisioner>(sp.GetRequiredService<IProvisioner>());
        Assert.IsType<S3ProtonStore>(sp.GetRequiredService<IProtonStore>());
        Assert.Equal(new Uri("http://127.0.0.1:1/"), ((CloudFormationProvisioner)sp.GetRequiredService<IProvisioner>()).Client.Endpoint);
    }

    [Fact]
    public void InvalidAwsOptions_FailOnStart()
    {
        using var sp = new ServiceCollection().AddProtonAws(Config(("ServiceUrl", "not a url"), ("RoleArn", "role"))).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("ServiceUrl", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RoleArn", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://bucket/path/bundle.tar.gz", "bucket", "path/bundle.tar.gz")]
    public void S3Uri_Parses(string uri, string bucket, string key) => Assert.Equal((bucket, key), S3BundleSource.Parse(uri));

    [Theory]
    [InlineData("http://bucket/key")]
    [InlineData("s3://bucket")]
    [InlineData("s3://bucket/")]
    public void S3Uri_Invalid(string uri) => Assert.Throws<ArgumentException>(() => S3BundleSource.Parse(uri));
}
