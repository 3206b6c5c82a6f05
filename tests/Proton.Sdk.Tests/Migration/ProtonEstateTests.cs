using Proton.Sdk.Migration;

namespace Proton.Sdk.Tests.Migration;

/// <summary>Grouping stacks by Proton's ARN tags: complete sets are classified, incomplete or contradicting ones are listed with the reason, never guessed.</summary>
public sealed class ProtonEstateTests
{
    private const string Account = "123456789012";

    private static string Arn(string resource, string account = Account, string region = "us-east-1") => $"arn:aws:proton:{region}:{account}:{resource}";

    private static DiscoveredStack Stack(string name, params (string Key, string Value)[] tags) => new()
    {
        StackName = name,
        StackId = $"arn:aws:cloudformation:us-east-1:{Account}:stack/{name}/0000",
        Status = "CREATE_COMPLETE",
        Tags = tags.ToDictionary(t => t.Key, t => t.Value),
    };

    private static (string, string)[] EnvTags(string env) =>
        [("proton:account", Account), ("proton:template", Arn("environment-template/vpc")), ("proton:environment", Arn("environment/" + env))];

    private static (string, string)[] InstanceTags(string service, string instance, string env) =>
        [("proton:account", Account), ("proton:template", Arn("service-template/web")), ("proton:environment", Arn("environment/" + env)), ("proton:service", Arn("service/" + service)), ("proton:service-instance", Arn($"service/{service}/service-instance/{instance}"))];

    [Fact]
    public void Group_ClassifiesEnvironmentsInstancesPipelinesAndComponents()
    {
        var estate = ProtonEstate.Group(
        [
            Stack("AWSProton-dev-cloudformation-abc", EnvTags("dev")),
            Stack("AWSProton-api-dev-cloudformation-def", InstanceTags("api", "dev-1", "dev")),
            Stack("AWSProton-api-cloudformation-ghi", ("proton:account", Account), ("proton:template", Arn("service-template/web")), ("proton:service", Arn("service/api"))),
            Stack("AWSProton-bucket-cloudformation-jkl", ("proton:account", Account), ("proton:environment", Arn("environment/dev")), ("proton:component", Arn("component/bucket"))),
            Stack("unrelated", ("team", "x")),
        ]);

        Assert.Equal(["dev"], estate.Environments.Select(e => e.Name));
        Assert.Equal("vpc", estate.Environments[0].TemplateName);
        var service = Assert.Single(estate.Services);
        Assert.Equal(("api", "web"), (service.Name, service.TemplateName));
        Assert.Equal(("dev-1", "dev"), (service.Instances.Single().Name, service.Instances.Single().EnvironmentName));
        Assert.Equal("AWSProton-api-cloudformation-ghi", service.Pipeline!.Stack.StackName);
        Assert.Equal("service/api/pipeline", service.Pipeline.Display);
        Assert.Equal(["bucket"], estate.Components.Select(c => c.Name));
        Assert.Empty(estate.Unclassified);
        Assert.Equal(4, estate.Resources.Count());
    }

    [Theory]
    [InlineData("missing-account", "proton:account is missing")]
    [InlineData("missing-template", "proton:template is missing")]
    [InlineData("not-arn", "not a Proton ARN")]
    [InlineData("other-account", "different accounts or regions")]
    [InlineData("account-tag-contradicts", "proton:account is 999999999999")]
    [InlineData("other-region-than-stack", "but the stack is in account")]
    [InlineData("instance-service-mismatch", "names service other")]
    [InlineData("instance-without-environment", "without proton:environment")]
    [InlineData("instance-with-env-template", "is an environment template")]
    [InlineData("env-with-service-template", "is a service template")]
    public void Group_ListsIncompleteOrContradictingTags_WithTheReason(string variant, string reason)
    {
        var tags = variant switch
        {
            "missing-account" => EnvTags("dev").Where(t => t.Item1 != "proton:account").ToArray(),
            "missing-template" => EnvTags("dev").Where(t => t.Item1 != "proton:template").ToArray(),
            "not-arn" => [("proton:account", Account), ("proton:template", Arn("environment-template/vpc")), ("proton:environment", "dev")],
            "other-account" => [("proton:account", Account), ("proton:template", Arn("environment-template/vpc")), ("proton:environment", Arn("environment/dev", "210987654321"))],
            "account-tag-contradicts" => [.. EnvTags("dev").Where(t => t.Item1 != "proton:account"), ("proton:account", "999999999999")],
            "other-region-than-stack" => [("proton:account", Account), ("proton:template", Arn("environment-template/vpc", region: "eu-west-1")), ("proton:environment", Arn("environment/dev", region: "eu-west-1"))],
            "instance-service-mismatch" => [.. InstanceTags("api", "i", "dev").Where(t => t.Item1 != "proton:service-instance"), ("proton:service-instance", Arn("service/other/service-instance/i"))],
            "instance-without-environment" => InstanceTags("api", "i", "dev").Where(t => t.Item1 != "proton:environment").ToArray(),
            "instance-with-env-template" => [.. InstanceTags("api", "i", "dev").Where(t => t.Item1 != "proton:template"), ("proton:template", Arn("environment-template/vpc"))],
            "env-with-service-template" => [.. EnvTags("dev").Where(t => t.Item1 != "proton:template"), ("proton:template", Arn("service-template/web"))],
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };

        var estate = ProtonEstate.Group([Stack("AWSProton-x", tags)]);

        Assert.Empty(estate.Resources);
        var u = Assert.Single(estate.Unclassified);
        Assert.Contains(reason, u.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Group_TwoStacksClaimingOneEnvironment_AreBothUnclassified()
    {
        var estate = ProtonEstate.Group([Stack("AWSProton-a", EnvTags("dev")), Stack("AWSProton-b", EnvTags("dev")), Stack("AWSProton-c", EnvTags("prod"))]);

        Assert.Equal(["prod"], estate.Environments.Select(e => e.Name));
        Assert.Equal(["AWSProton-a", "AWSProton-b"], estate.Unclassified.Select(u => u.Stack.StackName));
        Assert.All(estate.Unclassified, u => Assert.Contains("2 stacks claim environment/dev", u.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Group_PipelineWithoutInstance_IsAServiceWithOnlyAPipeline()
    {
        var estate = ProtonEstate.Group([Stack("AWSProton-p", ("proton:account", Account), ("proton:template", Arn("service-template/web")), ("proton:service", Arn("service/api")))]);

        var service = Assert.Single(estate.Services);
        Assert.Empty(service.Instances);
        Assert.Equal(DiscoveredResourceKind.ServicePipeline, service.Pipeline!.Kind);
    }

    [Fact]
    public void ProtonArn_RoundTripsAndRefusesOtherServices()
    {
        var arn = ProtonArn.ServiceInstance("aws-cn", "cn-north-1", Account, "api", "dev");
        Assert.Equal("arn:aws-cn:proton:cn-north-1:123456789012:service/api/service-instance/dev", arn.ToString());
        Assert.Equal(arn, ProtonArn.TryParse(arn.ToString()));
        Assert.Null(ProtonArn.TryParse("arn:aws:s3:::bucket"));
        Assert.Null(ProtonArn.TryParse("dev"));
        Assert.Equal("arn:aws:proton:us-east-1:123456789012:environment-template/vpc", ProtonArn.Template("aws", "us-east-1", Account, Proton.Sdk.Templates.TemplateKind.Environment, "vpc").ToString());
    }
}
