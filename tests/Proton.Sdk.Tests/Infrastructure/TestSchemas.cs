namespace Proton.Sdk.Tests.Infrastructure;

/// <summary>Schema YAML for tests: one environment input type with the given properties.</summary>
public static class TestSchemas
{
    public static string Indent(string text, int spaces) => string.Join("\n", text.Split('\n').Select(l => new string(' ', spaces) + l));

    /// <summary>A schema whose environment input type (named <c>EnvInput</c>) has these properties (YAML, unindented).</summary>
    public static string Environment(string properties, string required = "[]") => $"""
        schema:
          format:
            openapi: "3.0.0"
          environment_input_type: "EnvInput"
          types:
            EnvInput:
              type: object
              properties:
        {Indent(properties, 8)}
              required: {required}
        """;
}
