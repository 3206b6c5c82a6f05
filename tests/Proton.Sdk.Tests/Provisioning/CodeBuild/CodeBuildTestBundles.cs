using System.Text;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Tests.Provisioning.CodeBuild;

/// <summary>CodeBuild bundles written by the tests and loaded with the real bundle loader.</summary>
internal static class CodeBuildTestBundles
{
    private const string Schema = """
        schema:
          format:
            openapi: "3.0.0"
          environment_input_type: "Input"
          types:
            Input:
              type: object
              properties:
                who:
                  type: string
        """;

    public static InfrastructurePart Part(IReadOnlyList<string> provision, IReadOnlyList<string>? deprovision = null, string? extraManifest = null, params (string Name, string Text)[] files)
    {
        static string List(IEnumerable<string> commands) => string.Concat(commands.Select(c => "          - " + Quote(c) + "\n"));
        var manifest = "infrastructure:\n  templates:\n    - rendering_engine: codebuild\n" + (extraManifest ?? string.Empty)
            + "      settings:\n        image: aws/codebuild/standard:6.0\n        runtimes:\n          nodejs: 16\n        env:\n          variables:\n            TEAM: platform\n"
            + "        provision:\n" + List(provision)
            + (deprovision is null ? string.Empty : "        deprovision:\n" + List(deprovision));
        var all = new List<BundleFile> { File("schema/schema.yaml", Schema), File("infrastructure/manifest.yaml", manifest) };
        all.AddRange(files.Select(f => File("infrastructure/" + f.Name, f.Text)));
        var loaded = TemplateBundleLoader.Load(all, "codebuild-test");
        Assert.True(loaded.Bundle is not null, string.Join("\n", loaded.Diagnostics));
        return loaded.Bundle.Part(InfrastructurePartKind.Infrastructure)!;
    }

    public static DeployRequest Request(InfrastructurePart part, string who = "world", IReadOnlyCollection<string>? secrets = null) => new()
    {
        StackName = "proton-dev",
        TemplateBody = string.Empty,
        Part = part,
        Variables = new Dictionary<string, object?> { ["environment"] = new Dictionary<string, object?> { ["name"] = "dev", ["inputs"] = new Dictionary<string, object?> { ["who"] = who, ["size"] = 3L } } },
        Tags = new Dictionary<string, string> { ["proton:environment"] = "arn:aws:proton:us-east-1:123456789012:environment/dev" },
        SecretValues = secrets ?? [],
        DeploymentId = "d-1",
    };

    private static string Quote(string command) => "'" + command.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static BundleFile File(string path, string text) => new(path, Encoding.UTF8.GetBytes(text));
}

/// <summary>Collects events synchronously, in order, and lets a test react to one.</summary>
internal sealed class CollectingProgress(Action<ProvisioningEvent>? onEvent = null) : IProgress<ProvisioningEvent>
{
    private readonly List<ProvisioningEvent> _events = [];

    public IReadOnlyList<ProvisioningEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Report(ProvisioningEvent value)
    {
        lock (_events)
        {
            _events.Add(value);
        }

        onEvent?.Invoke(value);
    }
}
