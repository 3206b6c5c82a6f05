using System.Text.Json.Nodes;

namespace Proton.Sdk.Api.Tests;

/// <summary>Services, their instances and pipelines.</summary>
public sealed class ServiceOperationTests
{
    private static string S(JsonNode? n) => n!.GetValue<string>();

    private static async Task<ApiHost> WithServiceAsync()
    {
        var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync();
        await host.CreateDevAsync();
        var created = await host.OkAsync("CreateService", new { name = "web", templateName = "fargate", templateMajorVersion = "1", spec = ApiHost.SvcSpec, repositoryConnectionArn = "arn:aws:codestar-connections:us-east-1:123456789012:connection/abc", repositoryId = "org/web", branchName = "main" });
        Assert.Contains(S(created["service"]!["status"]), new[] { "CREATE_IN_PROGRESS", "ACTIVE" });
        await host.WaitAsync("GetService", new { name = "web" }, r => S(r["service"]!["status"]) != "CREATE_IN_PROGRESS");
        return host;
    }

    [Fact]
    public async Task CreateService_ActiveWithInstancesAndPipeline()
    {
        await using var host = await WithServiceAsync();
        var service = (await host.OkAsync("GetService", new { name = "web" }))["service"]!;
        Assert.Equal("ACTIVE", S(service["status"]));
        Assert.Equal("arn:aws:proton:us-east-1:123456789012:service/web", S(service["arn"]));
        Assert.Equal("org/web", S(service["repositoryId"]));
        Assert.Equal("SUCCEEDED", S(service["pipeline"]!["deploymentStatus"]));
        var spec = JsonNode.Parse(S(service["spec"]))!;
        Assert.Equal(["web-dev", "web-staging"], spec["instances"]!.AsArray().Select(i => S(i!["name"])));
        Assert.Equal("web", S(Assert.Single((await host.OkAsync("ListServices"))["services"]!.AsArray())!["name"]));
    }

    [Fact]
    public async Task ServiceInstances_ListGetAndOutputs()
    {
        await using var host = await WithServiceAsync();
        var listed = (await host.OkAsync("ListServiceInstances", new { serviceName = "web" }))["serviceInstances"]!.AsArray();
        Assert.Equal(["web-dev", "web-staging"], listed.Select(i => S(i!["name"])));
        Assert.All(listed, i => Assert.Equal(("SUCCEEDED", "dev"), (S(i!["deploymentStatus"]), S(i["environmentName"]))));
        Assert.Equal(2, (await host.OkAsync("ListServiceInstances"))["serviceInstances"]!.AsArray().Count);
        var instance = (await host.OkAsync("GetServiceInstance", new { serviceName = "web", name = "web-dev" }))["serviceInstance"]!;
        Assert.Equal("arn:aws:proton:us-east-1:123456789012:service/web/service-instance/web-dev", S(instance["arn"]));
        var record = (await host.Platform.GetServiceInstanceAsync("web", "web-dev"))!;
        var outputs = (await host.OkAsync("ListServiceInstanceOutputs", new { serviceName = "web", serviceInstanceName = "web-dev" }))["outputs"]!.AsArray();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.Equal(record.Outputs[S(o!["key"])], S(o["valueString"])));
        Assert.Equal("ResourceNotFoundException", (await host.CallAsync("GetServiceInstance", new { serviceName = "web", name = "web-prod" })).ErrorType);
        Assert.Equal("ValidationException", (await host.CallAsync("ListServiceInstances", new { sortBy = "name" })).ErrorType);
    }

    [Fact]
    public async Task UpdateServiceInstance_CurrentVersionWithSpec_Redeploys()
    {
        await using var host = await WithServiceAsync();
        var first = (await host.Platform.GetServiceInstanceAsync("web", "web-dev"))!.LastSucceededDeploymentId;
        var spec = "proton: ServiceSpec\ninstances:\n  - name: web-dev\n    environment: dev\n    spec:\n      port: 9090\n";
        await host.OkAsync("UpdateServiceInstance", new { serviceName = "web", name = "web-dev", deploymentType = "CURRENT_VERSION", spec });
        var done = await host.WaitAsync("GetServiceInstance", new { serviceName = "web", name = "web-dev" }, r => S(r["serviceInstance"]!["deploymentStatus"]) == "SUCCEEDED" && S(r["serviceInstance"]!["lastSucceededDeploymentId"]) != first);
        Assert.Contains("9090", S(done["serviceInstance"]!["spec"]), StringComparison.Ordinal);
        var wrongName = await host.CallAsync("UpdateServiceInstance", new { serviceName = "web", name = "web-staging", deploymentType = "CURRENT_VERSION", spec });
        Assert.Contains("web-staging", wrongName.Message!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_UpdateAndOutputs()
    {
        await using var host = await WithServiceAsync();
        var first = (await host.Platform.GetServiceAsync("web"))!.Pipeline!.LastSucceededDeploymentId;
        var r = await host.OkAsync("UpdateServicePipeline", new { serviceName = "web", deploymentType = "CURRENT_VERSION", spec = "proton: ServiceSpec\npipeline:\n  unit_test_command: \"make test\"\ninstances: []\n" });
        Assert.Equal("arn:aws:proton:us-east-1:123456789012:service/web/pipeline", S(r["pipeline"]!["arn"]));
        await host.WaitAsync("GetService", new { name = "web" }, x => S(x["service"]!["pipeline"]!["deploymentStatus"]) == "SUCCEEDED" && S(x["service"]!["pipeline"]!["lastSucceededDeploymentId"]) != first);
        Assert.Equal("make test", (await host.Platform.GetServiceAsync("web"))!.Pipeline!.Inputs["unit_test_command"]?.ToString());
        var outputs = (await host.OkAsync("ListServicePipelineOutputs", new { serviceName = "web" }))["outputs"]!.AsArray();
        Assert.Equal((await host.Platform.GetServiceAsync("web"))!.Pipeline!.Outputs.Count, outputs.Count);
    }

    [Fact]
    public async Task CreateService_IncompatibleOrMissingEnvironment_ErrorAndNoService()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync();
        var r = await host.CallAsync("CreateService", new { name = "web", templateName = "fargate", templateMajorVersion = "1", spec = ApiHost.SvcSpec });
        Assert.InRange(r.Status, 400, 409);
        Assert.Contains("dev", r.Message!, StringComparison.Ordinal);
        Assert.Null(await host.Platform.GetServiceAsync("web"));
    }

    [Fact]
    public async Task DeleteEnvironment_WithInstances_ConflictOrRefused_ThenDeleteServiceFirst()
    {
        await using var host = await WithServiceAsync();
        var refused = await host.CallAsync("DeleteEnvironment", new { name = "dev" });
        Assert.NotEqual(200, refused.Status);
        Assert.NotNull(await host.Platform.GetEnvironmentAsync("dev"));
        await host.OkAsync("DeleteService", new { name = "web" });
        for (var i = 0; i < 200 && await host.Platform.GetServiceAsync("web") is not null; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal("ResourceNotFoundException", (await host.CallAsync("GetService", new { name = "web" })).ErrorType);
        Assert.Empty((await host.OkAsync("ListServiceInstances"))["serviceInstances"]!.AsArray());
    }
}
