using Proton.Sdk.Aws.CloudFormation;

namespace Proton.Sdk.Aws.Tests;

/// <summary>Region resolution in the AWS CLI's and SDKs' order, with an injected environment and profile store.</summary>
public sealed class AwsConnectionTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] values)
    {
        var d = values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        return k => d.GetValueOrDefault(k);
    }

    private static Func<string, string?> Profiles(params (string Profile, string Region)[] values)
    {
        var d = values.ToDictionary(v => v.Profile, v => v.Region, StringComparer.Ordinal);
        return p => d.GetValueOrDefault(p);
    }

    [Theory]
    [InlineData("eu-west-1", "us-west-2", "ap-south-1", "eu-west-1")] // the option first
    [InlineData(null, "us-west-2", "ap-south-1", "us-west-2")] // then AWS_REGION
    [InlineData(null, null, "ap-south-1", "ap-south-1")] // then AWS_DEFAULT_REGION (the AWS CLI's variable)
    [InlineData(null, "", "ap-south-1", "ap-south-1")] // an empty variable counts as unset
    public void Region_OptionThenAwsRegionThenAwsDefaultRegion(string? option, string? awsRegion, string? awsDefaultRegion, string expected)
    {
        var env = Env(new[] { ("AWS_REGION", awsRegion), ("AWS_DEFAULT_REGION", awsDefaultRegion) }.Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!)).ToArray());

        Assert.Equal(expected, AwsConnection.ResolveRegion(new AwsConnectionOptions { Region = option }, env, Profiles(("default", "sa-east-1"))));
    }

    [Fact]
    public void Region_FromTheProfile_NamedByTheOption_ThenAwsProfile_ThenDefault()
    {
        var profiles = Profiles(("default", "sa-east-1"), ("team", "ca-central-1"), ("ci", "eu-north-1"));

        Assert.Equal("ca-central-1", AwsConnection.ResolveRegion(new AwsConnectionOptions { Profile = "team" }, Env(("AWS_PROFILE", "ci")), profiles));
        Assert.Equal("eu-north-1", AwsConnection.ResolveRegion(new AwsConnectionOptions(), Env(("AWS_PROFILE", "ci")), profiles));
        Assert.Equal("sa-east-1", AwsConnection.ResolveRegion(new AwsConnectionOptions(), Env(), profiles));
    }

    [Fact]
    public void Region_NowhereToBeFound_IsATypedError()
    {
        var ex = Assert.Throws<ProtonException>(() => AwsConnection.ResolveRegion(new AwsConnectionOptions(), Env(), Profiles()));

        Assert.Equal(AwsErrorCodes.NoRegion, ex.ErrorCode);
        Assert.Contains("AWS_DEFAULT_REGION", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url", null)]
    [InlineData(null, "ftp://files.example.com")]
    [InlineData(null, "localhost:4566")]
    public void Endpoint_NotAnAbsoluteHttpUrl_IsATypedError(string? option, string? env)
    {
        var ex = Assert.Throws<ProtonException>(() => AwsConnection.ResolveEndpoint(new AwsConnectionOptions { ServiceUrl = option }, "CLOUDFORMATION", "cloudformation", "us-east-1", Env(new[] { ("AWS_ENDPOINT_URL", env) }.Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!)).ToArray())));

        Assert.Equal(AwsErrorCodes.InvalidEndpoint, ex.ErrorCode);
    }

    [Fact]
    public void AwsServiceException_IsAProtonException_NotAProvisioningError()
    {
        var ex = new AwsServiceException(AwsErrorKind.Throttling, "ThrottlingException", "Rate exceeded", System.Net.HttpStatusCode.BadRequest, "r-1", "GetPipelineState");

        Assert.IsAssignableFrom<ProtonException>(ex);
        Assert.False(typeof(Proton.Sdk.Provisioning.ProvisioningException).IsAssignableFrom(typeof(AwsServiceException)));
        Assert.Equal(("aws.throttling", "GetPipelineState: ThrottlingException: Rate exceeded (request id r-1)"), (ex.ErrorCode, ex.Message));
    }
}
