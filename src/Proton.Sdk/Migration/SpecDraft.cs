using System.Text;
using System.Text.Json;
using Proton.Sdk.Schema;

namespace Proton.Sdk.Migration;

/// <summary>Spec drafts for resources without a spec file: the schema's inputs, defaults filled, required inputs marked.</summary>
internal static class SpecDraft
{
    public static string Environment(ProtonMigration.Candidate candidate, string name)
    {
        var text = new StringBuilder();
        text.Append("# Draft spec of environment ").Append(name).Append(", from ").Append(candidate.Bundle.Kind).Append(" template version ").Append(candidate.Version).Append("'s schema.\n");
        text.Append("# Correct the values (REQUIRED ones first) until 'proton migrate adopt --dry-run' reports an exact match.\n");
        text.Append("proton: EnvironmentSpec\nspec:\n");
        Inputs(text, candidate.Schema.EnvironmentInput, "  ");
        return text.ToString();
    }

    public static string Service(ProtonMigration.Candidate candidate, DiscoveredService service)
    {
        var text = new StringBuilder();
        text.Append("# Draft spec of service ").Append(service.Name).Append(", from service template version ").Append(candidate.Version).Append("'s schema.\n");
        text.Append("# Correct the values (REQUIRED ones first) until 'proton migrate adopt --dry-run' reports an exact match.\n");
        text.Append("proton: ServiceSpec\n");
        if (service.Pipeline is not null && candidate.Schema.PipelineInput is { } pipeline)
        {
            text.Append("pipeline:\n");
            Inputs(text, pipeline, "  ");
        }

        text.Append("instances:\n");
        foreach (var i in service.Instances)
        {
            text.Append("  - name: ").Append(JsonSerializer.Serialize(i.Name)).Append('\n');
            text.Append("    environment: ").Append(JsonSerializer.Serialize(i.EnvironmentName)).Append('\n');
            text.Append("    spec:\n");
            Inputs(text, candidate.Schema.ServiceInput, "      ");
        }

        return text.ToString();
    }

    private static void Inputs(StringBuilder text, SchemaInputType? type, string indent)
    {
        if (type is null || type.Properties.Count == 0)
        {
            text.Append(indent).Append("{}\n");
            return;
        }

        foreach (var p in type.Properties)
        {
            text.Append(indent).Append(p.Name).Append(": ");
            if (p.HasDefault)
            {
                text.Append(JsonSerializer.Serialize(p.Default)).Append("  # default");
            }
            else
            {
                text.Append("null  # ").Append(type.Required.Contains(p.Name) ? "REQUIRED" : "optional").Append(", ").Append(p.Type.ToString().ToLowerInvariant());
            }

            if (p.Description is { Length: > 0 } d)
            {
                text.Append(" - ").Append(d.ReplaceLineEndings(" "));
            }

            text.Append('\n');
        }
    }
}
