using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Rendering;
using Proton.Sdk.Schema;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Platform;

/// <summary>
/// Builds what a provisioner gets for each kind of resource: the stack name, Proton's variables (the render context),
/// the rendered template for Jinja/Scriban parts, the bundle part itself for file-based engines, Proton's tags and the
/// secret values to mask.
/// </summary>
internal sealed class DeployRequestFactory(ProtonPlatformOptions options, ITemplateRenderer renderer)
{
    public DeployRequest ForEnvironment(EnvironmentRecord env, TemplateBundle bundle, InputValues inputs)
    {
        var info = new EnvironmentInfo(env.Name) { AccountId = env.AccountId, Inputs = inputs };
        var context = ProtonContexts.ForEnvironment(info);
        return Build(bundle, InfrastructurePartKind.Infrastructure, context, env.StackName ?? StackName(env.Name), $"environment {env.Name}", inputs,
            Arns(env.AccountId, ("proton:environment", "environment/" + env.Name, env.Name), ("proton:template", "environment-template/" + env.TemplateName, env.TemplateName)));
    }

    public DeployRequest ForInstance(ServiceRecord service, string instanceName, EnvironmentRecord env, TemplateBundle bundle, InputValues inputs, string? stackName = null)
    {
        var envInfo = new EnvironmentInfo(env.Name) { AccountId = env.AccountId, Outputs = env.Outputs };
        var context = ProtonContexts.ForServiceInstance(ServiceInfoOf(service), new ServiceInstanceInfo(instanceName, envInfo) { Inputs = inputs });
        return Build(bundle, InfrastructurePartKind.InstanceInfrastructure, context, stackName ?? StackName(service.Name, instanceName), $"service instance {service.Name}/{instanceName}", inputs,
            Arns(env.AccountId, ("proton:environment", "environment/" + env.Name, env.Name), ("proton:service", "service/" + service.Name, service.Name), ("proton:service-instance", $"service/{service.Name}/service-instance/{instanceName}", instanceName), ("proton:template", "service-template/" + service.TemplateName, service.TemplateName)));
    }

    /// <summary>The pipeline sees every instance with its inputs, outputs and environment (Proton's <c>service_instances</c>).</summary>
    public DeployRequest ForPipeline(ServiceRecord service, TemplateBundle bundle, InputValues inputs, IReadOnlyList<ServiceInstanceInfo> instances)
    {
        var context = ProtonContexts.ForPipeline(ServiceInfoOf(service), inputs, instances);
        return Build(bundle, InfrastructurePartKind.PipelineInfrastructure, context, service.Pipeline?.StackName ?? StackName(service.Name, "pipeline"), $"pipeline of service {service.Name}", inputs,
            Arns(options.DefaultAccountId, ("proton:service", "service/" + service.Name, service.Name), ("proton:template", "service-template/" + service.TemplateName, service.TemplateName)));
    }

    /// <summary>
    /// What a delete needs: the stack and, for engines that destroy from files, the part of the version the resource runs
    /// and the names that say which resource it is (<paramref name="names"/>, as <see cref="Names"/> makes them: Terraform's
    /// pull-request mode finds the resource's repository folder by them).
    /// </summary>
    public static DeployRequest ForDestroy(string stackName, TemplateBundle? bundle, InfrastructurePartKind kind, IReadOnlyDictionary<string, object?>? names = null)
        => new() { StackName = stackName, TemplateBody = string.Empty, Part = bundle?.Part(kind), Variables = names ?? new Dictionary<string, object?>() };

    /// <summary>The render namespaces that name a resource, and nothing else: <c>environment.name</c>, <c>service.name</c>, <c>service_instance.name</c>.</summary>
    public static IReadOnlyDictionary<string, object?> Names(string? environment, string? service = null, string? instance = null)
    {
        var names = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (environment is not null)
        {
            names["environment"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = environment };
        }

        if (service is not null)
        {
            names["service"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = service };
        }

        if (instance is not null)
        {
            names["service_instance"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = instance, ["environment"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = environment } };
        }

        return names;
    }

    public static ServiceInfo ServiceInfoOf(ServiceRecord service) => new(service.Name)
    {
        BranchName = service.BranchName,
        RepositoryId = service.RepositoryId,
        RepositoryConnectionArn = service.RepositoryConnectionArn,
    };

    public string StackName(params string[] parts)
    {
        var identity = string.Join('/', parts);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity))).ToLowerInvariant()[..6];
        var readable = string.Join('-', parts.Select(p => p.Replace('_', '-')));
        var name = $"{options.StackNamePrefix}-{readable}";
        return (name.Length > 120 ? name[..120] : name) + "-" + hash;
    }

    public static string[] Secrets(InputValues inputs)
        => inputs.SecretNames.Select(n => inputs.TryGetValue(n, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null)
            .Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToArray();

    private DeployRequest Build(TemplateBundle bundle, InfrastructurePartKind kind, RenderContext context, string stackName, string what, InputValues inputs, params (string Key, string Value)[] tags)
    {
        var part = bundle.Part(kind) ?? throw new PlatformException(PlatformErrorCodes.NoInfrastructure, $"{what}: the bundle has no {kind} folder.");
        return new DeployRequest
        {
            StackName = stackName,
            TemplateBody = part.ProvisioningMethod == ProvisioningMethod.CloudFormation ? Render(part, context, TemplateOf(tags), what) : string.Empty,
            Part = part,
            Variables = context.Variables,
            Tags = Tags(tags),
            SecretValues = Secrets(inputs),
        };
    }

    private string Render(InfrastructurePart part, RenderContext context, string? templateName, string what)
    {
        var file = part.TemplateFiles[0];
        CompiledTemplate compiled;
        string output;
        try
        {
            compiled = renderer.Compile(file.Text, file.Path, part.RenderingEngine);
            output = renderer.Render(compiled, context);
        }
        catch (RenderException ex)
        {
            throw new ProtonValidationException(PlatformErrorCodes.RenderFailed, [ex.ToDiagnostic()]);
        }

        // On by default: an input whose value adds resources, outputs or keys is refused before any stack is touched.
        if (options.InjectionGuard.Enabled && (templateName is null || !options.InjectionGuardExemptTemplates.Contains(templateName)))
        {
            try
            {
                InjectionGuard.Check(renderer, compiled, context, output, options.InjectionGuard).ThrowIfTripped();
            }
            catch (ProtonValidationException ex) when (ex.ErrorCode == RenderErrorCodes.Injection)
            {
                throw new ProtonValidationException(RenderErrorCodes.Injection, [.. ex.Diagnostics.Select(d => d with { Message = $"{what} ({templateName}): {d.Message} To deploy it anyway, add {templateName} to ProtonPlatformOptions.InjectionGuardExemptTemplates." })]);
            }
        }

        return output;
    }

    /// <summary>Proton's tags: names by default; with <see cref="ProtonPlatformOptions.ArnTags"/> and a known account, ARNs and <c>proton:account</c>.</summary>
    private (string Key, string Value)[] Arns(string? account, params (string Key, string Resource, string Name)[] tags)
    {
        if (options.ArnTags is not { } arn || account is null)
        {
            return tags.Select(t => (t.Key, t.Name)).ToArray();
        }

        return [.. tags.Select(t => (t.Key, $"arn:{arn.Partition}:proton:{arn.Region}:{account}:{t.Resource}")), ("proton:account", account)];
    }

    private static string? TemplateOf((string Key, string Value)[] tags)
        => tags.Where(t => t.Key == "proton:template").Select(t => t.Value[(t.Value.LastIndexOf('/') + 1)..]).FirstOrDefault();

    private Dictionary<string, string> Tags((string Key, string Value)[] tags)
    {
        var all = new Dictionary<string, string>(options.Tags, StringComparer.Ordinal);
        foreach (var (k, v) in tags)
        {
            all[k] = v;
        }

        return all;
    }
}
