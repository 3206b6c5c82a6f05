using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Rendering;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Tests.Platform;

/// <summary>The injection guard is on for every deployment the platform renders; a template can be exempted by name.</summary>
public sealed class InjectionGuardPlatformTests : IDisposable
{
    internal const string Evil = "x\n  Evil:\n    Type: AWS::IAM::User";

    private readonly string _root = Directory.CreateTempSubdirectory("proton-guard-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>An environment bundle that renders <c>name</c> unquoted (as AWS's samples do) and <c>label</c> quoted.</summary>
    internal static InMemoryBundleSource UnquotedEnv() => new(new Dictionary<string, string>
    {
        ["schema/schema.yaml"] = Infrastructure.TestSchemas.Environment("name:\n  type: string\n  default: data\nlabel:\n  type: string\n  default: a"),
        ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["infrastructure/cloudformation.yaml"] = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: \"{{ environment.inputs.label }}\"\n      TopicName: {{ environment.inputs.name }}\nOutputs:\n  Name:\n    Value: !Ref Topic\n",
    });

    private async Task<(ProtonPlatform Platform, LocalProvisioner Provisioner, string Stacks)> NewAsync(ProtonPlatformOptions? options = null)
    {
        var stacks = Path.Combine(_root, "stacks");
        var provisioner = new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = stacks });
        var platform = new ProtonPlatform(new InMemoryProtonStore(), provisioner, options);
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        await PlatformKit.RegisterAsync(platform, "env", UnquotedEnv(), "1.0.0");
        return (platform, provisioner, stacks);
    }

    [Fact]
    public async Task CreateEnvironment_NewlineAndResourceInUnquotedInput_RefusedBeforeAnyStackOrRecord()
    {
        var (platform, provisioner, stacks) = await NewAsync();

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(() => platform.CreateEnvironmentAsync(new CreateEnvironmentRequest
        {
            Name = "dev", TemplateName = "env", Inputs = new Dictionary<string, object?> { ["name"] = Evil },
        }));

        Assert.Equal(RenderErrorCodes.Injection, ex.ErrorCode);
        var d = Assert.Single(ex.Diagnostics);
        Assert.Contains("environment.inputs.name", d.Message, StringComparison.Ordinal);
        Assert.Contains("environment dev (env)", d.Message, StringComparison.Ordinal);
        Assert.True(d.Message.Contains("AWS::IAM::User", StringComparison.Ordinal), d.Message);
        Assert.Null(await platform.GetEnvironmentAsync("dev"));
        Assert.Empty(await platform.ListDeploymentsAsync());
        Assert.False(Directory.Exists(stacks) && Directory.EnumerateDirectories(stacks).Any(), "no stack folder was written");
    }

    [Fact]
    public async Task CreateEnvironment_ValueInQuotedPositionOrPlain_Deploys()
    {
        var (platform, _, _) = await NewAsync();

        var d = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest
        {
            Name = "dev", TemplateName = "env", Inputs = new Dictionary<string, object?> { ["name"] = "data-1", ["label"] = "it's: a [label] # not a comment" },
        });

        Assert.True(d.Status == DeploymentStatus.Succeeded, d.StatusMessage);
    }

    [Fact]
    public async Task UpdateEnvironment_InjectedValue_RefusedAndTheEnvironmentKeepsItsVersion()
    {
        var (platform, _, _) = await NewAsync();
        await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" });

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(() => platform.UpdateEnvironmentAsync("dev", new UpdateRequest
        {
            UpdateType = DeploymentUpdateType.CurrentVersion, Inputs = new Dictionary<string, object?> { ["name"] = "x\nEvil:\n  Type: AWS::IAM::User" },
        }));

        Assert.Equal("render.injection", ex.ErrorCode);
        Assert.Single(await platform.ListDeploymentsAsync());
    }

    [Fact]
    public async Task CreateEnvironment_ExemptTemplate_DeploysTheValueVerbatim()
    {
        var options = new ProtonPlatformOptions();
        options.InjectionGuardExemptTemplates.Add("env");
        var (platform, provisioner, _) = await NewAsync(options);

        var d = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env", Inputs = new Dictionary<string, object?> { ["name"] = Evil } });

        Assert.True(d.Status == DeploymentStatus.Succeeded, d.StatusMessage);
        var env = (await platform.GetEnvironmentAsync("dev"))!;
        Assert.Contains("Evil:", await File.ReadAllTextAsync(Path.Combine(provisioner.StackDirectory(env.StackName!), "template.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateEnvironment_GuardDisabled_Deploys()
    {
        var options = new ProtonPlatformOptions();
        options.InjectionGuard.Enabled = false;
        var (platform, _, _) = await NewAsync(options);

        var d = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env", Inputs = new Dictionary<string, object?> { ["name"] = Evil } });

        Assert.True(d.Status == DeploymentStatus.Succeeded, d.StatusMessage);
    }
}
