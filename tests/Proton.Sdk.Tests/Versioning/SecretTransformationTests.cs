using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Tests.Versioning;

/// <summary>
/// Masking replaces a secret's exact text, so registration refuses templates that render a secret input in any other form
/// (issue #14): each transformation the issue found reaching stored templates is refused, located, and names the input.
/// </summary>
public sealed class SecretTransformationTests
{
    private const string Schema = "pw:\n  type: string\n  format: password\n  default: 'p'\nname:\n  type: string\n  default: demo";

    private static InMemoryBundleSource Bundle(string expression) => new(new Dictionary<string, string>
    {
        ["schema/schema.yaml"] = Infrastructure.TestSchemas.Environment(Schema),
        ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["infrastructure/cloudformation.yaml"] = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: {{ environment.inputs.name }}\n      Tags:\n        - Key: k\n          Value: '" + expression + "'\n",
    });

    private static async Task<TemplateRegistry> RegistryAsync()
    {
        var registry = new TemplateRegistry(new InMemoryProtonStore());
        await registry.CreateTemplateAsync("env", TemplateKind.Environment);
        return registry;
    }

    [Theory]
    [InlineData("{{ environment.inputs.pw|upper }}")]
    [InlineData("{{ environment.inputs.pw|lower }}")]
    [InlineData("{{ environment.inputs.pw[::-1] }}")]
    [InlineData("{{ environment.inputs.pw[1:] }}")]
    [InlineData("{{ environment.inputs.pw|list|join('-') }}")]
    [InlineData("{{ environment.inputs.pw|tojson }}")]
    [InlineData("{{ environment.inputs.pw|length }}")]
    [InlineData("{{ environment.inputs.pw.upper() }}")]
    [InlineData("{{ environment.inputs.pw|replace('a', 'b') }}")]
    [InlineData("{% set p = environment.inputs.pw %}{{ p[::-1] }}")]
    [InlineData("{% for c in environment.inputs.pw %}{{ c }}.{% endfor %}")]
    public async Task TransformedSecret_IsRefusedAndNamed(string expression)
    {
        var registry = await RegistryAsync();

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(async () => await registry.RegisterVersionAsync("env", Bundle(expression)));

        Assert.Equal(RegistryErrorCodes.SecretTransformed, ex.ErrorCode);
        var d = Assert.Single(ex.Diagnostics);
        Assert.Equal((RegistryErrorCodes.SecretTransformed, "infrastructure/cloudformation.yaml"), (d.Code, d.File));
        Assert.Contains("'pw'", d.Message, StringComparison.Ordinal);
        Assert.Empty(await registry.ListVersionsAsync("env"));
    }

    [Theory]
    [InlineData("{{ environment.inputs.pw }}")]
    [InlineData("x-{{ environment.inputs.pw }}-{{ environment.inputs.pw }}")]
    [InlineData("{% if environment.inputs.pw %}set{% endif %}")]
    [InlineData("{{ [environment.inputs.pw, 'b']|join(',') }}")]
    [InlineData("{{ environment.inputs.name|upper }}")]
    public async Task SecretRenderedAsItIs_Registers(string expression)
    {
        var registry = await RegistryAsync();

        var result = await registry.RegisterVersionAsync("env", Bundle(expression));

        Assert.Equal("1.0.0", result.Version.Version);
    }

    [Fact]
    public async Task SecretInstanceInput_TransformedInInstanceTemplate_IsRefused()
    {
        var registry = new TemplateRegistry(new InMemoryProtonStore());
        await registry.CreateTemplateAsync("svc", TemplateKind.Service);
        var bundle = new InMemoryBundleSource(new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  service_input_type: \"SvcInput\"\n  types:\n    SvcInput:\n      type: object\n      properties:\n        api_key:\n          type: string\n          format: password\n          default: k\n",
            ["instance_infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["instance_infrastructure/cloudformation.yaml"] = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: 'a{{ service_instance.inputs.api_key[:4] }}'\n",
        });

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(async () => await registry.RegisterVersionAsync("svc", bundle));

        var d = Assert.Single(ex.Diagnostics);
        Assert.Equal((RegistryErrorCodes.SecretTransformed, "instance_infrastructure/cloudformation.yaml"), (d.Code, d.File));
        Assert.Contains("'api_key'", d.Message, StringComparison.Ordinal);
    }
}
