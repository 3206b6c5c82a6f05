using Proton.Sdk.Rendering;
using Proton.Sdk.Schema;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Rendering;

/// <summary>Issue #14: a render error never prints the value of a secret input (<c>format: password</c>).</summary>
public sealed class RenderSecretTests
{
    private const string Secret = "Hunter2Secret";

    private static RenderContext EnvironmentContext(string secret = Secret)
    {
        var schema = SchemaParser.Parse(TestSchemas.Environment("""
            db_password:
              type: string
              format: password
            name:
              type: string
            """)).Schema!;
        var inputs = new SpecValidator(schema).ValidateInputs(InputKind.Environment, new Dictionary<string, object?> { ["db_password"] = secret, ["name"] = "plain" }, "spec").Values!;
        return ProtonContexts.ForEnvironment(new EnvironmentInfo("dev") { Inputs = inputs });
    }

    [Theory]
    [InlineData("{{ {}[environment.inputs.db_password] }}", RenderErrorKind.Undefined, "'dict object' has no attribute '********'")]
    [InlineData("{{ environment.inputs[environment.inputs.db_password] }}", RenderErrorKind.Undefined, "'dict object' has no attribute '********'")]
    [InlineData("{{ ['x'].index(environment.inputs.db_password) }}", RenderErrorKind.Value, "'********' is not in list")]
    [InlineData("{{ {'a': 1}[environment.inputs.db_password ~ '!'] }}", RenderErrorKind.Undefined, "'dict object' has no attribute '********!'")]
    public void Render_ErrorThatQuotesASecretInput_MasksIt(string template, RenderErrorKind kind, string detail)
    {
        var ex = Assert.Throws<RenderException>(() => new TemplateRenderer().Render(template, "t.yaml", EnvironmentContext()));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(detail, ex.Detail);
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToDiagnostic().Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public void Render_ProtonFilterRefusesASecret_MessageMasksIt()
    {
        var context = EnvironmentContext("p@ss'word\"x");

        var ex = Assert.Throws<RenderException>(() => new TemplateRenderer().Render("{{ environment.inputs.db_password | proton_cfn_sanitize }}", "t.yaml", context));

        Assert.Equal(RenderErrorKind.Filter, ex.Kind);
        Assert.DoesNotContain("p@ss", ex.Message, StringComparison.Ordinal);
        Assert.Contains("********", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PlainInputsInErrors_AreShownAsBefore()
    {
        var ex = Assert.Throws<RenderException>(() => new TemplateRenderer().Render("{{ {}[environment.inputs.name] }}", "t.yaml", EnvironmentContext()));

        Assert.Equal("'dict object' has no attribute 'plain'", ex.Detail);
    }

    [Fact]
    public void Render_SecretsAddedByTheHost_AreMasked()
    {
        var context = RenderContext.From(new Dictionary<string, object?> { ["token"] = "tok-123456" }).WithSecretValues(["tok-123456", ""]);
        var renderer = new TemplateRenderer();

        var ex = Assert.Throws<RenderException>(() => renderer.Render("{{ {}[token] }}", "t.yaml", context));

        Assert.Equal("'dict object' has no attribute '********'", ex.Detail);
        Assert.Equal(["tok-123456"], context.SecretValues);
        Assert.Equal("tok-123456", renderer.Render("{{ token }}", "t.yaml", context));
    }
}
