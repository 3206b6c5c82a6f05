using System.Text.Json;
using Proton.Sdk.Rendering;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Rendering;

public sealed class ProtonContextsTests
{
    private static readonly ServiceInfo Service = new("my-svc")
    {
        BranchName = "main",
        RepositoryConnectionArn = "arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
        RepositoryId = "my-org/my-repo",
    };

    private static Dictionary<string, object?> Inputs(JsonElement e)
        => (Dictionary<string, object?>)RenderContext.FromJson(JsonSerializer.Serialize(new { x = e })).Variables["x"]!;

    private static Dictionary<string, string> Outputs(JsonElement e)
        => e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    /// <summary>Every key of the corpus context has the same value in the built one (the builder may add Proton's extra keys).</summary>
    private static void AssertCovers(JsonElement expected, object? actual, string path)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var dict = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(actual);
                foreach (var p in expected.EnumerateObject())
                {
                    Assert.True(dict.ContainsKey(p.Name), $"missing {path}.{p.Name}");
                    AssertCovers(p.Value, dict[p.Name], $"{path}.{p.Name}");
                }

                break;
            case JsonValueKind.Array:
                var list = Assert.IsAssignableFrom<IReadOnlyList<object?>>(actual);
                Assert.Equal(expected.GetArrayLength(), list.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    AssertCovers(expected[i], list[i], $"{path}[{i}]");
                }

                break;
            default:
                var scalar = RenderContext.FromJson(JsonSerializer.Serialize(new { v = expected })).Variables["v"];
                Assert.Equal(scalar, actual);
                break;
        }
    }

    [Fact]
    public void ForServiceInstance_MatchesCorpusInstanceContext()
    {
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Corpus.RenderCases, "026", "context.json"))).RootElement;
        var env = new EnvironmentInfo("my-env") { AccountId = "123456789012", Outputs = Outputs(expected.GetProperty("environment").GetProperty("outputs")) };
        var instance = new ServiceInstanceInfo("my-instance", env) { Inputs = Inputs(expected.GetProperty("service_instance").GetProperty("inputs")) };

        var context = ProtonContexts.ForServiceInstance(Service, instance);

        AssertCovers(expected, context.Variables, "$");
        var si = (IReadOnlyDictionary<string, object?>)context.Variables["service_instance"]!;
        Assert.Equal("my-env", ((IReadOnlyDictionary<string, object?>)si["environment"]!)["name"]);
    }

    [Fact]
    public void ForPipeline_MatchesCorpusTwoInstanceContext()
    {
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Corpus.RenderCases, "030", "context.json"))).RootElement;
        var instances = expected.GetProperty("service_instances").EnumerateArray().Select(i =>
        {
            var e = i.GetProperty("environment");
            var env = new EnvironmentInfo(e.GetProperty("name").GetString()!) { AccountId = e.GetProperty("account_id").GetString(), Outputs = Outputs(e.GetProperty("outputs")) };
            return new ServiceInstanceInfo(i.GetProperty("name").GetString()!, env) { Inputs = Inputs(i.GetProperty("inputs")), Outputs = Outputs(i.GetProperty("outputs")) };
        }).ToList();

        var context = ProtonContexts.ForPipeline(Service, Inputs(expected.GetProperty("pipeline").GetProperty("inputs")), instances);

        AssertCovers(expected, context.Variables, "$");
        var template = File.ReadAllText(Path.Combine(Corpus.RenderCases, "030", "template.yaml"));
        Assert.Equal(File.ReadAllText(Path.Combine(Corpus.RenderCases, "030", "expected.yaml")), new TemplateRenderer().Render(template, "t", context));
    }

    [Fact]
    public void ForEnvironment_MatchesCorpusEnvironmentContext()
    {
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Corpus.RenderCases, "011", "context.json"))).RootElement;

        var context = ProtonContexts.ForEnvironment(new EnvironmentInfo("my-env") { Inputs = Inputs(expected.GetProperty("environment").GetProperty("inputs")) });

        AssertCovers(expected, context.Variables, "$");
        Assert.Equal(expected.GetProperty("environment").EnumerateObject().Count(), ((IReadOnlyDictionary<string, object?>)context.Variables["environment"]!).Count);
    }

    [Fact]
    public void ForComponent_MatchesCorpusComponentContext()
    {
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Corpus.RenderCases, "161", "context.json"))).RootElement;
        var env = new EnvironmentInfo("my-env") { AccountId = "123456789012" };

        var context = ProtonContexts.ForComponent("my-component", env, Service, new ServiceInstanceInfo("my-instance", env));

        AssertCovers(expected, context.Variables, "$");
    }

    [Fact]
    public void ForServiceInstance_WithoutComponent_DefaultOutputsAreEmptyAndLengthZero()
    {
        var instance = new ServiceInstanceInfo("i", new EnvironmentInfo("e"));
        var context = ProtonContexts.ForServiceInstance(new ServiceInfo("s"), instance);

        var output = new TemplateRenderer().Render(
            "{% if service_instance.components.default.outputs | length > 0 %}has{% else %}none{% endif %} {{ service_instance.components.default.outputs.test | default('[optional-value]') }}",
            "t", context);

        Assert.Equal("none [optional-value]", output);
        Assert.False(((IReadOnlyDictionary<string, object?>)context.Variables["service"]!).ContainsKey("branch_name"));
    }
}
