using Proton.Sdk.Templates;

namespace Proton.Sdk.IntegrationTests;

/// <summary>
/// A service template written for moto (no corpus service template runs there: they need SAM transforms, CodeBuild or
/// Fn::GetAZs): an SQS queue per instance whose outputs carry the environment's table and the instance's input, and a
/// pipeline that lists every instance's queue and account.
/// </summary>
internal static class QueueService
{
    private const string Schema = """
        schema:
          format:
            openapi: "3.0.0"
          service_input_type: "QueueInput"
          pipeline_input_type: "PipelineInput"
          types:
            QueueInput:
              type: object
              properties:
                greeting:
                  type: string
                  default: "hello"
        {{EXTRA}}
            PipelineInput:
              type: object
              properties:
                stage:
                  type: string
                  default: "build"

        """;

    private const string Manifest = "infrastructure:\n  templates:\n    - file: \"cloudformation.yaml\"\n      rendering_engine: jinja\n      template_language: cloudformation\n";

    private const string Instance = """
        Resources:
          Queue:
            Type: AWS::SQS::Queue
            Properties:
              Tags:
                - Key: greeting
                  Value: '{{ service_instance.inputs.greeting }}'
        Outputs:
          QueueUrl:
            Value: !Ref Queue
          TableName:
            Value: '{{ environment.outputs.TableName }}'
          Greeting:
            Value: '{{ service_instance.inputs.greeting }}'
        {{EXTRA}}
        """;

    private const string Pipeline = """
        Resources:
          Topic:
            Type: AWS::SNS::Topic
        Outputs:
          Stage:
            Value: '{{ pipeline.inputs.stage }}'
        {% for i in service_instances %}
          Instance{{ loop.index }}Queue:
            Value: '{{ i.outputs.QueueUrl }}'
          Instance{{ loop.index }}Account:
            Value: '{{ i.environment.account_id }}'
        {% endfor %}
        """;

    /// <summary>Version 1.0 or, with <paramref name="minor"/>, a compatible 1.1 that adds an optional input and an output.</summary>
    public static InMemoryBundleSource Bundle(bool minor = false) => new(Files(minor));

    /// <summary>The bundle's files (path, text).</summary>
    public static Dictionary<string, string> Files(bool minor = false) => new()
    {
        ["schema/schema.yaml"] = Schema.Replace("{{EXTRA}}", minor ? "        color:\n          type: string\n          default: \"blue\"" : string.Empty, StringComparison.Ordinal),
        [".template-registration.yaml"] = "compatible_environments:\n  - \"lambda-env:1\"\n",
        ["instance_infrastructure/manifest.yaml"] = Manifest,
        ["instance_infrastructure/cloudformation.yaml"] = Instance.Replace("{{EXTRA}}", minor ? "  Color:\n    Value: '{{ service_instance.inputs.color }}'" : string.Empty, StringComparison.Ordinal),
        ["pipeline_infrastructure/manifest.yaml"] = Manifest,
        ["pipeline_infrastructure/cloudformation.yaml"] = Pipeline,
    };
}
