using Proton.Sdk.Schema;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Infrastructure;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Tests.Versioning;

public sealed class TemplateRegistryTests
{
    internal static InMemoryBundleSource Env(string properties = "name:\n  type: string\n  default: dev", string required = "[]", string resource = "Topic")
        => new(new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n"
                + string.Join("\n", properties.Split('\n').Select(l => "        " + l)) + $"\n      required: {required}\n",
            ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["infrastructure/cloudformation.yaml"] = $"Resources:\n  {resource}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{{{ environment.name }}}}{{% if environment.inputs.name is defined %}}-{{{{ environment.inputs.name }}}}{{% endif %}}'\n",
        });

    private static async Task<TemplateRegistry> NewRegistry(IProtonStore? store = null, ITemplateUsage? usage = null)
    {
        var registry = new TemplateRegistry(store ?? new InMemoryProtonStore(), usage: usage);
        await registry.CreateTemplateAsync("env", TemplateKind.Environment);
        return registry;
    }

    [Fact]
    public async Task Register_First_IsOneZeroZeroDraft()
    {
        var registry = await NewRegistry();

        var result = await registry.RegisterVersionAsync("env", Env());

        Assert.Equal(("1.0.0", TemplateVersionStatus.Draft, false), (result.Version.Version, result.Version.Status, result.AlreadyRegistered));
        Assert.Null(await registry.GetRecommendedAsync("env"));
    }

    [Fact]
    public async Task Register_IdenticalContent_ReturnsTheExistingVersion()
    {
        var registry = await NewRegistry();
        var first = await registry.RegisterVersionAsync("env", Env());

        var again = await registry.RegisterVersionAsync("env", Env());

        Assert.True(again.AlreadyRegistered);
        Assert.Equal(first.Version.Version, again.Version.Version);
        Assert.Single(await registry.ListVersionsAsync("env"));
    }

    [Theory]
    [InlineData("name:\n  type: string\n  default: dev", "[]", "Other", "1.0.1")]
    [InlineData("name:\n  type: string\n  default: dev\nsize:\n  type: string", "[]", "Topic", "1.1.0")]
    [InlineData("other:\n  type: string", "[other]", "Topic", "2.0.0")]
    public async Task Register_WithoutVersion_TakesTheSmallestValidBump(string properties, string required, string resource, string expected)
    {
        var registry = await NewRegistry();
        await registry.RegisterVersionAsync("env", Env());

        var result = await registry.RegisterVersionAsync("env", Env(properties, required, resource));

        Assert.Equal(expected, result.Version.Version);
        Assert.Equal("1.0.0", result.Version.ComparedWith);
    }

    [Fact]
    public async Task Register_BreakingChangeAsMinor_IsRefusedWithTheReasons()
    {
        var registry = await NewRegistry();
        await registry.RegisterVersionAsync("env", Env());

        var ex = await Assert.ThrowsAsync<RegistryException>(async () =>
            await registry.RegisterVersionAsync("env", Env("other:\n  type: string", "[other]"), new RegisterVersionOptions { Version = "1.1.0" }));

        Assert.Equal("registry.bump-too-small", ex.ErrorCode);
        Assert.Contains(ex.Changes, c => c.Code == "input-removed" && c.Path == "environment.name");
        Assert.Contains(ex.Changes, c => c.Code == "required-input-added" && c.Path == "environment.other");
        Assert.Contains("need a major version", ex.Message, StringComparison.Ordinal);
        Assert.Single(await registry.ListVersionsAsync("env"));
    }

    [Fact]
    public async Task Register_AdditiveChangeAsPatch_IsRefused_AsMinor_IsAccepted()
    {
        var registry = await NewRegistry();
        await registry.RegisterVersionAsync("env", Env());
        var additive = "name:\n  type: string\n  default: dev\nextra:\n  type: string";

        var ex = await Assert.ThrowsAsync<RegistryException>(async () => await registry.RegisterVersionAsync("env", Env(additive), new RegisterVersionOptions { Version = "1.0.1" }));
        var ok = await registry.RegisterVersionAsync("env", Env(additive), new RegisterVersionOptions { Version = "1.2.0" });

        Assert.Equal("registry.bump-too-small", ex.ErrorCode);
        Assert.Equal("1.2.0", ok.Version.Version);
        Assert.Equal(VersionBump.Minor, ok.Version.SchemaBump);
    }

    [Fact]
    public async Task Register_ExistingVersionNumberWithOtherContent_IsRefused()
    {
        var registry = await NewRegistry();
        await registry.RegisterVersionAsync("env", Env(), new RegisterVersionOptions { Version = "1.0.0" });

        var ex = await Assert.ThrowsAsync<RegistryException>(async () => await registry.RegisterVersionAsync("env", Env(resource: "Other"), new RegisterVersionOptions { Version = "1.0.0" }));

        Assert.Equal("registry.version-exists", ex.ErrorCode);
    }

    [Fact]
    public async Task Register_TemplateThatDoesNotRender_IsRefusedWithLocation()
    {
        var registry = await NewRegistry();
        var files = new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        name:\n          type: string\n",
            ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["infrastructure/cloudformation.yaml"] = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{ environment.inputs.nmae }}'\n",
        };

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(async () => await registry.RegisterVersionAsync("env", new InMemoryBundleSource(files)));

        var d = Assert.Single(ex.Diagnostics);
        Assert.Equal(("render.undefined", "infrastructure/cloudformation.yaml", 5), (d.Code, d.File, d.Line));
        Assert.Empty(await registry.ListVersionsAsync("env"));
    }

    [Fact]
    public async Task Register_CorpusServiceBundle_UsesItsCompatibleEnvironmentsAndRendersEveryPart()
    {
        var registry = new TemplateRegistry(new InMemoryProtonStore());
        await registry.CreateTemplateAsync("lb-svc", TemplateKind.Service);
        var path = Path.Combine(Corpus.Bundles, "aws-samples+aws-proton-cloudformation-sample-templates/loadbalanced-fargate-svc/loadbalanced-fargate-svc/v1");

        var result = await registry.RegisterVersionAsync("lb-svc", new DirectoryBundleSource(path));

        Assert.Equal(new CompatibleEnvironment("loadbalanced-fargate-env", 1), Assert.Single(result.Version.CompatibleEnvironments));
        Assert.True(result.Version.HasPipeline);
        var bundle = await registry.LoadBundleAsync(result.Version);
        Assert.Equal(result.Version.ContentHash, bundle.ContentHash);
    }

    [Fact]
    public async Task Register_WrongKindOrUnknownTemplate_IsRefused()
    {
        var registry = await NewRegistry();
        await registry.CreateTemplateAsync("svc", TemplateKind.Service);

        Assert.Equal("registry.invalid-kind", (await Assert.ThrowsAsync<RegistryException>(async () => await registry.RegisterVersionAsync("svc", Env()))).ErrorCode);
        Assert.Equal("registry.not-found", (await Assert.ThrowsAsync<RegistryException>(async () => await registry.RegisterVersionAsync("nope", Env()))).ErrorCode);
    }

    [Fact]
    public async Task Statuses_PublishDeprecateAndRecommended()
    {
        var registry = await NewRegistry();
        await registry.RegisterVersionAsync("env", Env());
        await registry.RegisterVersionAsync("env", Env(resource: "B"));
        await registry.RegisterVersionAsync("env", Env("other:\n  type: string", "[other]"));
        await registry.RegisterVersionAsync("env", Env(resource: "C"), new RegisterVersionOptions { Version = "3.0.0-rc.1" });

        await registry.PublishAsync("env", "1.0.0");
        await registry.PublishAsync("env", "1.0.1");
        await registry.PublishAsync("env", "2.0.0");
        await registry.PublishAsync("env", "3.0.0-rc.1");

        Assert.Equal("2.0.0", (await registry.GetRecommendedAsync("env"))!.Version);
        Assert.Equal("1.0.1", (await registry.GetRecommendedAsync("env", major: 1))!.Version);

        await registry.DeprecateAsync("env", "2.0.0");
        Assert.Equal("1.0.1", (await registry.GetRecommendedAsync("env"))!.Version);
        Assert.Null(await registry.ResolveAsync("env", VersionConstraint.Parse("2")));
        Assert.Equal("2.0.0", (await registry.ResolveAsync("env", VersionConstraint.Parse("2"), includeDeprecated: true))!.Version);
        Assert.Equal("1.0.1", (await registry.ResolveAsync("env", VersionConstraint.Parse("^1.0.0")))!.Version);

        await registry.PublishAsync("env", "2.0.0");
        Assert.Equal("2.0.0", (await registry.GetRecommendedAsync("env"))!.Version);
        Assert.Equal("registry.not-found", (await Assert.ThrowsAsync<RegistryException>(async () => await registry.DeprecateAsync("env", "9.9.9"))).ErrorCode);
    }

    [Fact]
    public async Task Deprecate_Draft_IsRefused()
    {
        var registry = await NewRegistry();
        await registry.RegisterVersionAsync("env", Env());

        Assert.Equal("registry.invalid-status", (await Assert.ThrowsAsync<RegistryException>(async () => await registry.DeprecateAsync("env", "1.0.0"))).ErrorCode);
    }

    private sealed class FakeUsage(params string[] users) : ITemplateUsage
    {
        public ValueTask<IReadOnlyList<string>> GetUsersAsync(string templateName, SemanticVersion version, CancellationToken cancellationToken = default)
            => ValueTask.FromResult<IReadOnlyList<string>>(version.ToString() == "1.0.0" ? users : []);
    }

    [Fact]
    public async Task Delete_VersionInUse_IsRefusedListingUsers_TemplateWithVersions_IsRefused()
    {
        var registry = await NewRegistry(usage: new FakeUsage("environment/dev", "environment/prod"));
        await registry.RegisterVersionAsync("env", Env());
        await registry.RegisterVersionAsync("env", Env(resource: "B"));

        var inUse = await Assert.ThrowsAsync<RegistryException>(async () => await registry.DeleteVersionAsync("env", "1.0.0"));
        var hasVersions = await Assert.ThrowsAsync<RegistryException>(async () => await registry.DeleteTemplateAsync("env"));
        await registry.DeleteVersionAsync("env", "1.0.1");

        Assert.Equal("registry.in-use", inUse.ErrorCode);
        Assert.Contains("environment/dev, environment/prod", inUse.Message, StringComparison.Ordinal);
        Assert.Equal("registry.has-versions", hasVersions.ErrorCode);
        Assert.Equal(["1.0.0"], (await registry.ListVersionsAsync("env")).Select(v => v.Version));
    }

    [Fact]
    public async Task Delete_TemplateWithoutVersions_Works()
    {
        var registry = await NewRegistry();

        await registry.DeleteTemplateAsync("env");

        Assert.Null(await registry.GetTemplateAsync("env"));
    }

    [Fact]
    public async Task Register_EightThreadsAgainstTheFileStore_EveryRegistrationGetsADistinctVersion()
    {
        var dir = Directory.CreateTempSubdirectory("proton-registry-").FullName;
        try
        {
            var registry = await NewRegistry(new FileSystemProtonStore(dir));

            var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
            {
                var mine = new List<string>();
                for (var i = 0; i < 3; i++)
                {
                    // Each registration has its own content (an IaC-only change: a patch).
                    var r = await new TemplateRegistry(new FileSystemProtonStore(dir)).RegisterVersionAsync("env", Env(resource: $"T{t}x{i}"));
                    mine.Add(r.Version.Version);
                }

                return mine;
            })));

            var all = results.SelectMany(r => r).ToList();
            Assert.Equal(24, all.Count);
            Assert.Equal(24, all.Distinct().Count());
            var stored = await new TemplateRegistry(new FileSystemProtonStore(dir)).ListVersionsAsync("env");
            Assert.Equal(all.Order(), stored.Select(v => v.Version).Order());
            Assert.Equal("1.0.0", stored[0].Version);
            Assert.Equal("1.0.23", stored[^1].Version);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
