using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Tests.Platform;

/// <summary>
/// A provisioner that keeps stacks in memory and does what the test scripts: fail a stack, hang until cancelled, throw,
/// or "crash" (record nothing back). Outputs: <c>Body</c> (a hash of the template, so outputs change with it) and any
/// literal <c>Outputs</c> the template's <c>Echo</c> resource names.
/// </summary>
internal sealed class ScriptedProvisioner : IProvisioner
{
    public ConcurrentDictionary<string, StackDescription> Stacks { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string> Bodies { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Stacks whose next deploy fails (with a root cause), by stack-name fragment.</summary>
    public ConcurrentDictionary<string, int> FailNext { get; } = new(StringComparer.Ordinal);

    /// <summary>Stack-name fragments whose deploy waits until cancelled (or <see cref="Release"/>).</summary>
    public ConcurrentDictionary<string, TaskCompletionSource> Hang { get; } = new(StringComparer.Ordinal);

    public List<DeployRequest> Requests { get; } = [];

    public string Name => "scripted";

    public TaskCompletionSource Started { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string fragment) => Hang[fragment].TrySetResult();

    public async Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue("deploy " + request.StackName);
        lock (Requests)
        {
            Requests.Add(request);
        }

        progress?.Report(new ProvisioningEvent(DateTimeOffset.UnixEpoch, request.StackName, "AWS::CloudFormation::Stack", ResourceEventStatus.InProgress) { Action = ResourceAction.Update, EngineStatus = "UPDATE_IN_PROGRESS" });
        Started.TrySetResult();
        if (Hang.FirstOrDefault(h => request.StackName.Contains(h.Key, StringComparison.Ordinal)) is { Value: { } gate })
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (FailNext.Keys.FirstOrDefault(k => request.StackName.Contains(k, StringComparison.Ordinal)) is { } failing && FailNext.TryRemove(failing, out _))
        {
            Stacks.AddOrUpdate(request.StackName, _ => new StackDescription(request.StackName, StackState.RolledBack) { EngineStatus = "ROLLBACK_COMPLETE" }, (_, old) => old with { State = StackState.RolledBack, EngineStatus = "UPDATE_ROLLBACK_COMPLETE" });
            return new ProvisionResult
            {
                Status = ProvisionStatus.Failed,
                State = StackState.RolledBack, EngineStatus = "ROLLBACK_COMPLETE",
                Message = "the stack rolled back",
                Failures = [new ResourceFailure("Queue", "AWS::SQS::Queue", "CREATE_FAILED", "scripted failure")],
            };
        }

        var body = Hash(request.TemplateBody);
        var outputs = new Dictionary<string, string> { ["Body"] = body, ["Stack"] = request.StackName };
        foreach (var (name, _) in CloudFormationTemplate.Parse(request.TemplateBody, request.StackName).Outputs)
        {
            outputs[name] = $"{name}-{body}";
        }

        var noChange = Bodies.TryGetValue(request.StackName, out var old) && old == body;
        Bodies[request.StackName] = body;
        Stacks[request.StackName] = new StackDescription(request.StackName, StackState.Succeeded) { EngineStatus = "UPDATE_COMPLETE", Outputs = outputs, LastDeploymentId = request.DeploymentId };
        return new ProvisionResult { Status = noChange ? ProvisionStatus.NoChanges : ProvisionStatus.Succeeded, State = StackState.Succeeded, EngineStatus = "UPDATE_COMPLETE", Outputs = outputs };
    }

    public Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default)
        => Task.FromResult(new StackPlan(request.StackName, Stacks.ContainsKey(request.StackName), []));

    public Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue("destroy " + stackName);
        if (FailNext.Keys.FirstOrDefault(k => stackName.Contains(k, StringComparison.Ordinal)) is { } failing && FailNext.TryRemove(failing, out _))
        {
            return Task.FromResult(new ProvisionResult { Status = ProvisionStatus.Failed, State = StackState.Failed, EngineStatus = "DELETE_FAILED", Message = "the bucket is not empty", Failures = [new ResourceFailure("Bucket", "AWS::S3::Bucket", "DELETE_FAILED", "BucketNotEmpty")] });
        }

        Stacks.TryRemove(stackName, out _);
        Bodies.TryRemove(stackName, out _);
        return Task.FromResult(new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Deleted, EngineStatus = "DELETE_COMPLETE" });
    }

    public Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default)
        => Task.FromResult(Stacks.TryGetValue(stackName, out var s) ? s : null);

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
}

/// <summary>Small environment and service bundles and a platform over the in-memory store.</summary>
internal static class PlatformKit
{

    /// <summary>Properties are given unindented; they land under <c>properties:</c>.</summary>
    private static string Indent(string properties) => properties.Length == 0 ? string.Empty : string.Join("\n", properties.Split('\n').Select(l => "        " + l));

    public static InMemoryBundleSource Env(string extraProperties = "", string extraResource = "")
        => new(new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = Infrastructure.TestSchemas.Environment("vpc_cidr:\n  type: string\n  default: \"10.0.0.0/16\"\n  pattern: \"^[0-9./]+$\"" + (extraProperties.Length == 0 ? string.Empty : "\n" + extraProperties)),
            ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["infrastructure/cloudformation.yaml"] = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: '{{ environment.inputs.vpc_cidr }}'\n" + extraResource
                + "Outputs:\n  VpcId:\n    Value: !Ref Vpc\n  Cidr:\n    Value: '{{ environment.inputs.vpc_cidr }}'\n",
        });

    public static InMemoryBundleSource Service(bool pipeline = true, string extraProperties = "", string extraResource = "")
    {
        var files = new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = $$"""
                schema:
                  format:
                    openapi: "3.0.0"
                  service_input_type: "SvcInput"
                  {{(pipeline ? "pipeline_input_type: \"PipeInput\"" : string.Empty)}}
                  types:
                    SvcInput:
                      type: object
                      properties:
                        port:
                          type: number
                          default: 80
                          minimum: 1
                          maximum: 65535
                {{Indent(extraProperties)}}
                      required: []
                    PipeInput:
                      type: object
                      properties:
                        unit_test_command:
                          type: string
                          default: "echo ok"
                      required: []
                """,
            ["instance_infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
            ["instance_infrastructure/cloudformation.yaml"] = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: '{{ service.name }}-{{ service_instance.name }}-{{ service_instance.inputs.port }}'\n      Tags:\n        - Key: vpc\n          Value: '{{ environment.outputs.VpcId }}'\n" + extraResource
                + "Outputs:\n  QueueName:\n    Value: '{{ service_instance.name }}'\n",
        };
        if (pipeline)
        {
            files["pipeline_infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n";
            files["pipeline_infrastructure/cloudformation.yaml"] = "Resources:\n{% for i in service_instances %}  Deploy{{ loop.index }}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{ i.name }}-{{ i.outputs.QueueName }}-{{ i.environment.outputs.VpcId }}'\n{% endfor %}Outputs:\n  Cmd:\n    Value: '{{ pipeline.inputs.unit_test_command }}'\n";
        }

        return new InMemoryBundleSource(files);
    }

    public static async Task<(ProtonPlatform Platform, ScriptedProvisioner Provisioner, InMemoryProtonStore Store)> NewAsync()
    {
        var store = new InMemoryProtonStore();
        var provisioner = new ScriptedProvisioner();
        var platform = new ProtonPlatform(store, provisioner);
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        await platform.Registry.CreateTemplateAsync("svc", TemplateKind.Service);
        await RegisterAsync(platform, "env", Env(), "1.0.0");
        await RegisterAsync(platform, "svc", Service(), "1.0.0", "env:1");
        return (platform, provisioner, store);
    }

    public static async Task<TemplateVersionRecord> RegisterAsync(ProtonPlatform platform, string template, InMemoryBundleSource bundle, string version, string? compatible = null, bool publish = true)
    {
        var options = new RegisterVersionOptions
        {
            Version = version,
            CompatibleEnvironments = compatible?.Split(',').Select(c => CompatibleEnvironment.TryParse(c)!).ToList(),
        };
        var result = await platform.Registry.RegisterVersionAsync(template, bundle, options);
        return publish ? await platform.Registry.PublishAsync(template, result.Version.Version) : result.Version;
    }

    public static ServiceSpec Spec(params (string Instance, string Env)[] instances) => new()
    {
        Instances = instances.Select(i => new ServiceInstanceSpec(i.Instance, i.Env, new Dictionary<string, object?>())).ToList(),
    };

    public static async Task<ProtonPlatform> WithEnvAndServiceAsync(ProtonPlatform platform, params string[] instances)
    {
        Assert.Equal(DeploymentStatus.Succeeded, (await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" })).Status);
        var svc = await platform.CreateServiceAsync(new CreateServiceRequest { Name = "api", TemplateName = "svc", Spec = Spec(instances.Select(i => (i, "dev")).ToArray()) });
        Assert.True(svc.Succeeded, string.Join("; ", svc.Deployments.Select(d => d.StatusMessage)));
        return platform;
    }
}
