using Proton.Sdk.ExternalImplementations;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Rendering;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Extensibility;

/// <summary>
/// The extension points implemented in another assembly (Proton.Sdk.ExternalImplementations, which gets no internals)
/// run the whole platform: a store, a provisioner and a renderer that a host could have written.
/// </summary>
public sealed class ExternalImplementationTests
{
    private static string Samples => Path.Combine(Corpus.RepoRoot, "samples", "templates");

    [Fact]
    public async Task Platform_RunsOnExternalStoreProvisionerAndRenderer()
    {
        var store = new DictionaryStore();
        var provisioner = new RecordingProvisioner();
        var renderer = new UppercaseRenderer(TemplateRenderer.Default);
        var platform = new ProtonPlatform(store, provisioner, new ProtonPlatformOptions { DefaultAccountId = "123456789012" }, renderer);
        await platform.Registry.CreateTemplateAsync("vpc-ecs-env", TemplateKind.Environment);
        var version = (await platform.Registry.RegisterVersionAsync("vpc-ecs-env", new DirectoryBundleSource(Path.Combine(Samples, "vpc-ecs-env", "v1")))).Version;
        await platform.Registry.PublishAsync("vpc-ecs-env", version.Version);

        var deployment = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "vpc-ecs-env" });

        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        var request = Assert.Single(provisioner.Deployed);
        Assert.Contains("AWS::EC2::VPC", request.TemplateBody, StringComparison.Ordinal);
        Assert.Equal("dev", ((IReadOnlyDictionary<string, object?>)request.Variables["environment"]!)["name"]);
        var env = (await platform.GetEnvironmentAsync("dev"))!;
        Assert.NotEmpty(env.Outputs);
        Assert.Equal(await provisioner.DescribeAsync(request.StackName) is { } s ? s.Outputs : null, env.Outputs);
        Assert.True(store.Calls > 5, $"the platform used the external store ({store.Calls} calls)");
    }

    [Fact]
    public void ExternalRenderer_CompilesItsOwnEngine_AndReportsDiagnosticsWithoutThrowing()
    {
        ITemplateRenderer renderer = new UppercaseRenderer(TemplateRenderer.Default);
        var context = ProtonContexts.ForEnvironment(new EnvironmentInfo("dev"));

        var compiled = renderer.Compile("Name: $(name)", "t.upper", UppercaseRenderer.Engine);
        Assert.Equal("Name: DEV", renderer.Render(compiled, context));
        Assert.Equal("Name: dev", renderer.Render(renderer.Compile("Name: {{ environment.name }}", "t.yaml"), context));

        var failed = renderer.TryCompile("a\nb $(name", "bad.upper", UppercaseRenderer.Engine);
        Assert.False(failed.Succeeded);
        var diagnostic = Assert.Single(failed.Diagnostics);
        Assert.Equal(("bad.upper", 2), (diagnostic.File, diagnostic.Line));
        var jinja = renderer.TryCompile("{% if %}", "bad.yaml");
        Assert.False(jinja.Succeeded);
        Assert.Equal("render.syntax", Assert.Single(jinja.Diagnostics).Code);
    }

    [Fact]
    public void BuiltInRenderer_RefusesATemplateCompiledByAnotherRenderer()
    {
        var foreign = new UppercaseRenderer(TemplateRenderer.Default).Compile("x", "t.upper", UppercaseRenderer.Engine);

        var ex = Assert.Throws<ArgumentException>(() => TemplateRenderer.Default.Render(foreign, ProtonContexts.ForEnvironment(new EnvironmentInfo("dev"))));
        Assert.Contains("another renderer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExternalProvisioner_MasksSecretsWithThePublicRedactor()
    {
        var provisioner = new RecordingProvisioner();
        await provisioner.DeployAsync(new DeployRequest
        {
            StackName = "s",
            TemplateBody = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n",
            Parameters = new Dictionary<string, string> { ["Password"] = "hunter2-long", ["Short"] = "hunter2" },
            SecretValues = ["hunter2", "hunter2-long"],
        });

        Assert.Equal("deployed s with ****,****", Assert.Single(provisioner.Messages));
    }
}
