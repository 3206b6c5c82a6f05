using System.Text.Json.Nodes;

namespace Proton.Sdk.Api.Tests;

/// <summary>Update*Template, schema in Get*TemplateVersion, List*ProvisionedResources.</summary>
public sealed class AddedOperationTests
{
    private static string S(JsonNode? n) => n!.GetValue<string>();

    [Fact]
    public async Task UpdateEnvironmentTemplate_ChangesDisplayNameAndDescription_EmptyClears()
    {
        await using var host = await ApiHost.StartAsync();
        await host.OkAsync("CreateEnvironmentTemplate", new { name = "vpc", displayName = "VPC", description = "old" });
        var updated = await host.OkAsync("UpdateEnvironmentTemplate", new { name = "vpc", displayName = "Shared VPC" });
        Assert.Equal(("Shared VPC", "old"), (S(updated["environmentTemplate"]!["displayName"]), S(updated["environmentTemplate"]!["description"])));
        await host.OkAsync("UpdateEnvironmentTemplate", new { name = "vpc", description = "" });
        var got = (await host.OkAsync("GetEnvironmentTemplate", new { name = "vpc" }))["environmentTemplate"]!;
        Assert.Equal("Shared VPC", S(got["displayName"]));
        Assert.Null(got["description"]);
    }

    [Fact]
    public async Task UpdateServiceTemplate_OnEnvironmentTemplateOrUnknown_NotFound()
    {
        await using var host = await ApiHost.StartAsync();
        await host.OkAsync("CreateEnvironmentTemplate", new { name = "vpc" });
        var wrongKind = await host.CallAsync("UpdateServiceTemplate", new { name = "vpc", displayName = "x" });
        var unknown = await host.CallAsync("UpdateEnvironmentTemplate", new { name = "nope", displayName = "x" });
        var missing = await host.CallAsync("UpdateServiceTemplate", new { displayName = "x" });
        Assert.Equal((404, 404, 400), (wrongKind.Status, unknown.Status, missing.Status));
        Assert.Contains("service template vpc", wrongKind.Message, StringComparison.Ordinal);
        Assert.Null((await host.Platform.Registry.GetTemplateAsync("vpc"))!.DisplayName);
    }

    [Fact]
    public async Task GetTemplateVersion_ReturnsTheSchemaAsRegistered_ListDoesNot()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync();
        var env = (await host.OkAsync("GetEnvironmentTemplateVersion", new { templateName = "vpc-env", majorVersion = "1", minorVersion = "0" }))["environmentTemplateVersion"]!;
        var svc = (await host.OkAsync("GetServiceTemplateVersion", new { templateName = "fargate", majorVersion = "1", minorVersion = "0" }))["serviceTemplateVersion"]!;
        var envSchema = File.ReadAllText(Directory.GetFiles(Path.Combine(ApiHost.Samples, "vpc-ecs-env", "v1", "schema")).Single());
        var svcSchema = File.ReadAllText(Directory.GetFiles(Path.Combine(ApiHost.Samples, "fargate-svc", "v1", "schema")).Single());
        Assert.Equal((envSchema, svcSchema), (S(env["schema"]), S(svc["schema"])));
        var listed = (await host.OkAsync("ListEnvironmentTemplateVersions", new { templateName = "vpc-env" }))["templateVersions"]!.AsArray();
        Assert.Null(Assert.Single(listed)!["schema"]);
    }

    [Fact]
    public async Task ListProvisionedResources_NameTheStacksOfEnvironmentInstanceAndPipeline()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync();
        await host.CreateDevAsync();
        await host.OkAsync("CreateService", new { name = "web", templateName = "fargate", templateMajorVersion = "1", spec = ApiHost.SvcSpec, repositoryConnectionArn = "arn:aws:codestar-connections:us-east-1:123456789012:connection/abc", repositoryId = "org/web", branchName = "main" });
        await host.WaitAsync("GetService", new { name = "web" }, r => S(r["service"]!["status"]) != "CREATE_IN_PROGRESS");

        var env = await host.Platform.GetEnvironmentAsync("dev");
        var instance = await host.Platform.GetServiceInstanceAsync("web", "web-dev");
        var pipeline = (await host.Platform.GetServiceAsync("web"))!.Pipeline;
        Assert.NotNull(env!.StackName);
        Assert.NotNull(instance!.StackName);
        Assert.NotNull(pipeline!.StackName);

        var envResources = (await host.OkAsync("ListEnvironmentProvisionedResources", new { environmentName = "dev" }))["provisionedResources"]!.AsArray();
        var instanceResources = (await host.OkAsync("ListServiceInstanceProvisionedResources", new { serviceName = "web", serviceInstanceName = "web-dev" }))["provisionedResources"]!.AsArray();
        var pipelineResources = (await host.OkAsync("ListServicePipelineProvisionedResources", new { serviceName = "web" }))["provisionedResources"]!.AsArray();
        foreach (var (list, stack) in new[] { (envResources, env.StackName), (instanceResources, instance.StackName), (pipelineResources, pipeline.StackName) })
        {
            var item = Assert.Single(list)!;
            Assert.Equal((stack, stack, "CLOUDFORMATION"), (S(item["identifier"]), S(item["name"]), S(item["provisioningEngine"])));
        }

        var unknown = await host.CallAsync("ListEnvironmentProvisionedResources", new { environmentName = "prod" });
        var unknownInstance = await host.CallAsync("ListServiceInstanceProvisionedResources", new { serviceName = "web", serviceInstanceName = "nope" });
        Assert.Equal((404, 404), (unknown.Status, unknownInstance.Status));
    }
}
