using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Tests.Versioning;

/// <summary>Registration refuses rendered CloudFormation that CloudFormation itself would refuse.</summary>
public sealed class RegistrationTemplateCheckTests
{
    private static InMemoryBundleSource Bundle(string template) => new(new Dictionary<string, string>
    {
        ["schema/schema.yaml"] = Infrastructure.TestSchemas.Environment("name:\n  type: string\n  default: demo"),
        ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["infrastructure/cloudformation.yaml"] = template,
    });

    private static async Task<ProtonValidationException> RefusedAsync(string template)
    {
        var registry = new TemplateRegistry(new InMemoryProtonStore());
        await registry.CreateTemplateAsync("env", TemplateKind.Environment);
        var ex = await Assert.ThrowsAsync<ProtonValidationException>(async () => await registry.RegisterVersionAsync("env", Bundle(template)));
        Assert.Empty(await registry.ListVersionsAsync("env"));
        return ex;
    }

    [Fact]
    public async Task RandomBytes_AreNotATemplate()
    {
        var ex = await RefusedAsync("\u0001\u0002 garbage: [unclosed\n");

        Assert.Equal(RegistryErrorCodes.InvalidTemplate, ex.ErrorCode);
        Assert.Contains(ex.Diagnostics, d => d.File == "infrastructure/cloudformation.yaml");
    }

    [Theory]
    [InlineData("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref NoSuchResource\n", "NoSuchResource", 2)]
    [InlineData("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt Missing.Arn\n", "Missing", 4)]
    [InlineData("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${Nope}-{{ environment.inputs.name }}'\n", "Nope", 2)]
    [InlineData("Resources:\n  Q:\n    Type: AWS::SQS::Queue\nOutputs:\n  Url:\n    Value: !Ref Gone\n", "Gone", 0)]
    public async Task UnknownReferenceTargets_AreRefusedAndLocated(string template, string target, int line)
    {
        var ex = await RefusedAsync(template);

        var d = Assert.Single(ex.Diagnostics);
        Assert.Equal((RegistryErrorCodes.UnknownReference, "infrastructure/cloudformation.yaml", line), (d.Code, d.File, d.Line));
        Assert.Contains($"'{target}'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KnownTargets_ParametersPseudoParametersAndSubVariables_Register()
    {
        var registry = new TemplateRegistry(new InMemoryProtonStore());
        await registry.CreateTemplateAsync("env", TemplateKind.Environment);

        var result = await registry.RegisterVersionAsync("env", Bundle("Parameters:\n  P:\n    Type: String\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub ['${P}-${AWS::Region}-${Q.Arn}-${local}-${!Literal}', { local: !Ref P }]\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt Q.QueueName\nOutputs:\n  A:\n    Value: !Ref AWS::AccountId\n"));

        Assert.Equal("1.0.0", result.Version.Version);
    }
}
