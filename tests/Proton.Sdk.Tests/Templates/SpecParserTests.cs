using Proton.Sdk.Templates;

namespace Proton.Sdk.Tests.Templates;

public sealed class SpecParserTests
{
    [Fact]
    public void Parse_ServiceSpec_ReadsPipelineInstancesAndLocations()
    {
        var result = SpecParser.Parse("""
            proton: ServiceSpec
            pipeline:
              dockerfile: Dockerfile
            instances:
              - name: web-dev
                environment: dev
                spec:
                  port: 80
                  ratio: 0.5
                  image: "8080"
                  enabled: true
                  keep: "${Proton::CURRENT_VAL}"
            """, "svc.yaml");

        var spec = Assert.IsType<ServiceSpec>(result.Spec);
        Assert.Equal("Dockerfile", spec.Pipeline!["dockerfile"]);
        var instance = Assert.Single(spec.Instances);
        Assert.Equal(("web-dev", "dev"), (instance.Name, instance.Environment));
        Assert.Equal(80L, instance.Spec["port"]);
        Assert.Equal(0.5, instance.Spec["ratio"]);
        Assert.Equal("8080", instance.Spec["image"]);
        Assert.Equal(true, instance.Spec["enabled"]);
        Assert.True(ProtonSpec.IsCurrentValue(instance.Spec["keep"]));
        Assert.Equal(new SourceLocation(8, 13), spec.Locations["instances[0].spec.port"]);
        Assert.Equal(new SourceLocation(3, 15), spec.Locations["pipeline.dockerfile"]);
    }

    [Fact]
    public void Parse_EnvironmentSpec_ReadsInputs()
    {
        var spec = Assert.IsType<EnvironmentSpec>(SpecParser.Parse("proton: EnvironmentSpec\nspec:\n  vpc_cidr: 10.0.0.0/16\n").Spec);

        Assert.Equal("10.0.0.0/16", spec.Spec["vpc_cidr"]);
    }

    [Theory]
    [InlineData("spec:\n  a: 1\n", "spec.kind", 1, 1)]
    [InlineData("proton: ServiceSpecs\ninstances: []\n", "spec.kind", 1, 9)]
    [InlineData("proton: ServiceSpec\n", "spec.invalid", 1, 1)]
    [InlineData("proton: ServiceSpec\ninstances:\n  - name: a\n    environment: dev\n  - name: a\n    environment: dev\n", "spec.duplicate-instance", 5, 11)]
    [InlineData("proton: ServiceSpec\ninstances:\n  - name: -bad\n    environment: dev\n", "spec.name", 3, 11)]
    [InlineData("proton: ServiceSpec\ninstances:\n  - name: ok\n    environment: \"no spaces\"\n", "spec.environment", 4, 18)]
    [InlineData("proton: EnvironmentSpec\nspec: [1, 2]\n", "spec.invalid", 2, 7)]
    [InlineData("proton: EnvironmentSpec\nspec:\n  a: [1\n", "yaml.syntax", 4, 1)]
    [InlineData("", "spec.invalid", 1, 1)]
    public void Parse_InvalidSpec_ReportsCodeAndPosition(string yaml, string code, int line, int column)
    {
        var result = SpecParser.Parse(yaml, "spec.yaml");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(code, error.Code);
        Assert.Equal("spec.yaml", error.File);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Throws<ProtonValidationException>(() => result.GetSpecOrThrow());
    }

    [Fact]
    public void Parse_UnknownTopLevelKey_WarnsAndKeepsSpec()
    {
        var result = SpecParser.Parse("proton: EnvironmentSpec\nspec: {}\nextra: 1\n");

        Assert.True(result.Succeeded);
        Assert.Equal("spec.unknown-key", Assert.Single(result.Diagnostics).Code);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("my-env_1", true)]
    [InlineData("-a", false)]
    [InlineData("_a", false)]
    [InlineData("a b", false)]
    [InlineData("", false)]
    public void ProtonNames_FollowProtonsRule(string name, bool valid)
    {
        Assert.Equal(valid, ProtonNames.IsValid(name));
        Assert.Equal(valid, ProtonNames.Explain(name) is null);
    }

    [Fact]
    public void ProtonNames_Over100Characters_AreInvalid()
    {
        Assert.True(ProtonNames.IsValid(new string('a', 100)));
        Assert.False(ProtonNames.IsValid(new string('a', 101)));
    }
}
