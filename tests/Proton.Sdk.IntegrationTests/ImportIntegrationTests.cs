using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Platform;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;

namespace Proton.Sdk.IntegrationTests;

/// <summary>A stack that exists before the code runs (made with boto3, as Proton made them) is imported as an environment.</summary>
public sealed class ImportIntegrationTests
{
    private const string CreateStack = """
        import boto3, sys
        cf = boto3.client("cloudformation", endpoint_url=sys.argv[1], region_name="us-east-1")
        body = open(sys.argv[3]).read().replace("{{ environment.inputs.ttl_attribute }}", "ttl").replace("Transform: AWS::Serverless-2016-10-31\n", "")
        cf.create_stack(StackName=sys.argv[2], TemplateBody=body, Tags=[{"Key": "aws:proton:environment", "Value": "legacy"}])
        print(cf.describe_stacks(StackName=sys.argv[2])["Stacks"][0]["StackStatus"])
        """;

    [SkippableFact]
    public async Task ExistingStack_IsImported_WithTheStacksOutputs_ThenServedByTheProvisioner()
    {
        var url = Endpoint.Require();
        var stack = "legacy-" + Guid.NewGuid().ToString("N")[..8];
        var status = await Moto.Boto3Async(url, CreateStack, stack, Path.Combine(Moto.LambdaEnvBundle, "infrastructure", "cloudformation.yaml"));
        Assert.Equal("CREATE_COMPLETE", status.Trim());
        using var provisioner = new CloudFormationProvisioner(new CloudFormationProvisionerOptions(), Moto.Connection(url));
        var platform = new ProtonPlatform(new InMemoryProtonStore(), provisioner, new ProtonPlatformOptions { DefaultAccountId = "123456789012" });
        await platform.Registry.CreateTemplateAsync("lambda-env", TemplateKind.Environment);
        var v = await platform.Registry.RegisterVersionAsync("lambda-env", new DirectoryBundleSource(Moto.LambdaEnvBundle));
        await platform.Registry.PublishAsync("lambda-env", v.Version.Version);

        var imported = await platform.ImportEnvironmentAsync(new ImportEnvironmentRequest { Name = "legacy", TemplateName = "lambda-env", StackName = stack, Inputs = new Dictionary<string, object?> { ["ttl_attribute"] = "ttl" } });

        Assert.Equal(DeploymentStatus.Succeeded, imported.Status);
        var env = (await platform.GetEnvironmentAsync("legacy"))!;
        var described = (await Moto.DescribeStacksAsync(url, stack))[stack]!.Value;
        Assert.Equal(described.Outputs, env.Outputs);
        Assert.Equal((EnvironmentProvisioning.ImportedStack, stack), (env.Provisioning, env.StackName));
        Assert.Contains("TableName", env.Outputs.Keys);

        var missing = await Assert.ThrowsAsync<PlatformException>(() => platform.ImportEnvironmentAsync(new ImportEnvironmentRequest { Name = "ghost", TemplateName = "lambda-env", StackName = "no-such-stack-" + Guid.NewGuid().ToString("N")[..6] }));
        Assert.Equal(PlatformErrorCodes.StackNotFound, missing.ErrorCode);
    }
}
