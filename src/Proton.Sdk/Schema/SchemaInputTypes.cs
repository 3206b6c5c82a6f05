using Proton.Sdk.Internal;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Schema;

/// <summary>Reads the input type names a bundle's schema declares, without validating the schema.</summary>
internal static class SchemaInputTypes
{
    public static IReadOnlyDictionary<string, string> Read(TemplateBundle bundle)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (bundle.SchemaFile is null)
        {
            return result;
        }

        var root = YamlReader.Parse(bundle.SchemaFile.Text, bundle.SchemaFile.Path, []) as YamlMapping;
        if ((root?["schema"] as YamlMapping) is { } schema)
        {
            foreach (var key in new[] { "environment_input_type", "service_input_type", "pipeline_input_type" })
            {
                if (schema[key] is YamlScalar s)
                {
                    result[key] = s.Value;
                }
            }
        }

        return result;
    }
}
