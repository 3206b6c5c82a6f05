using System.Text.Json.Nodes;
using Proton.Sdk.Platform;

namespace Proton.Sdk.Api.Tests;

/// <summary>Deployments, the resources summary, notifications of external applies, tags.</summary>
public sealed class DeploymentOperationTests
{
    private static string S(JsonNode? n) => n!.GetValue<string>();

    [Fact]
    public async Task ListAndGetDeployments_NewestFirst_WithStates()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        await host.CreateDevAsync();
        await host.OkAsync("UpdateEnvironment", new { name = "dev", deploymentType = "CURRENT_VERSION" });
        await host.WaitAsync("ListDeployments", new { environmentName = "dev" }, r => r["deployments"]!.AsArray().Count == 2 && r["deployments"]!.AsArray().All(d => S(d!["deploymentStatus"]) == "SUCCEEDED"));
        var deployments = (await host.OkAsync("ListDeployments", new { environmentName = "dev" }))["deployments"]!.AsArray();
        var newest = (await host.Platform.GetEnvironmentAsync("dev"))!.LastSucceededDeploymentId;
        Assert.Equal(newest, S(deployments[0]!["id"]));
        Assert.Equal("ENVIRONMENT", S(deployments[0]!["targetResourceType"]));
        Assert.Equal("arn:aws:proton:us-east-1:123456789012:environment/dev", S(deployments[0]!["targetArn"]));
        var d = (await host.OkAsync("GetDeployment", new { id = newest }))["deployment"]!;
        Assert.Equal(("vpc-env", "1", "0"), (S(d["targetState"]!["environment"]!["templateName"]), S(d["targetState"]!["environment"]!["templateMajorVersion"]), S(d["targetState"]!["environment"]!["templateMinorVersion"])));
        Assert.NotNull(d["initialState"]!["environment"]);
        Assert.True(d["completedAt"]!.GetValue<double>() >= d["createdAt"]!.GetValue<double>());
        Assert.Equal("ResourceNotFoundException", (await host.CallAsync("GetDeployment", new { id = "nope" })).ErrorType);
        Assert.Equal("ResourceNotFoundException", (await host.CallAsync("GetDeployment", new { id = newest, environmentName = "prod" })).ErrorType);
        var page = await host.OkAsync("ListDeployments", new { environmentName = "dev", maxResults = 1 });
        Assert.Single(page["deployments"]!.AsArray());
        Assert.NotNull(page["nextToken"]);
    }

    [Fact]
    public async Task GetResourcesSummary_CountsFromThePlatform()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync();
        await host.CreateDevAsync();
        await host.OkAsync("CreateService", new { name = "web", templateName = "fargate", templateMajorVersion = "1", spec = ApiHost.SvcSpec });
        await host.WaitAsync("GetService", new { name = "web" }, r => S(r["service"]!["status"]) != "CREATE_IN_PROGRESS");
        var counts = (await host.OkAsync("GetResourcesSummary"))["counts"]!;
        Assert.Equal(1, counts["environments"]!["total"]!.GetValue<int>());
        Assert.Equal(1, counts["environments"]!["upToDate"]!.GetValue<int>());
        Assert.Equal(2, counts["serviceInstances"]!["total"]!.GetValue<int>());
        Assert.Equal(1, counts["pipelines"]!["total"]!.GetValue<int>());
        Assert.Equal(1, counts["environmentTemplates"]!["total"]!.GetValue<int>());
        Assert.Equal(1, counts["serviceTemplates"]!["total"]!.GetValue<int>());
        Assert.Equal(1, counts["services"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task NotifyResourceDeploymentStatusChange_EndsTheExternalApplyWithOutputs()
    {
        await using var host = await ApiHost.StartAsync(new HandOffProvisioner());
        await host.PublishSamplesAsync(service: false);
        var created = await host.OkAsync("CreateEnvironment", new { name = "dev", templateName = "vpc-env", templateMajorVersion = "1", spec = ApiHost.EnvSpec });
        Assert.Equal("IN_PROGRESS", S(created["environment"]!["deploymentStatus"]));
        var waiting = await host.WaitAsync("GetEnvironment", new { name = "dev" }, _ => host.Platform.GetEnvironmentAsync("dev").Result!.DeploymentStatus == DeploymentStatus.AwaitingExternalApply);
        Assert.Equal("IN_PROGRESS", S(waiting["environment"]!["deploymentStatus"]));
        var arn = "arn:aws:proton:us-east-1:123456789012:environment/dev";
        await host.OkAsync("NotifyResourceDeploymentStatusChange", new { resourceArn = arn, status = "IN_PROGRESS" });
        await host.OkAsync("NotifyResourceDeploymentStatusChange", new { resourceArn = arn, status = "SUCCEEDED", outputs = new[] { new { key = "VpcId", valueString = "vpc-123" } } });
        var env = (await host.OkAsync("GetEnvironment", new { name = "dev" }))["environment"]!;
        Assert.Equal("SUCCEEDED", S(env["deploymentStatus"]));
        var outputs = (await host.OkAsync("ListEnvironmentOutputs", new { environmentName = "dev" }))["outputs"]!.AsArray();
        Assert.Equal("vpc-123", S(Assert.Single(outputs)!["valueString"]));
        var again = await host.CallAsync("NotifyResourceDeploymentStatusChange", new { resourceArn = arn, status = "FAILED" });
        Assert.Equal("ConflictException", again.ErrorType);
    }

    [Fact]
    public async Task NotifyResourceDeploymentStatusChange_Failed_MarksFailed()
    {
        await using var host = await ApiHost.StartAsync(new HandOffProvisioner());
        await host.PublishSamplesAsync(service: false);
        await host.OkAsync("CreateEnvironment", new { name = "dev", templateName = "vpc-env", templateMajorVersion = "1", spec = ApiHost.EnvSpec });
        await host.WaitAsync("GetEnvironment", new { name = "dev" }, _ => host.Platform.GetEnvironmentAsync("dev").Result!.DeploymentStatus == DeploymentStatus.AwaitingExternalApply);
        await host.OkAsync("NotifyResourceDeploymentStatusChange", new { resourceArn = "arn:aws:proton:us-east-1:123456789012:environment/dev", status = "FAILED", statusMessage = "terraform apply failed" });
        var env = (await host.OkAsync("GetEnvironment", new { name = "dev" }))["environment"]!;
        Assert.Equal("FAILED", S(env["deploymentStatus"]));
        Assert.Contains("terraform apply failed", S(env["deploymentStatusMessage"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyResourceDeploymentStatusChange_BadArnOrStatus_Errors()
    {
        await using var host = await ApiHost.StartAsync();
        Assert.Equal("ResourceNotFoundException", (await host.CallAsync("NotifyResourceDeploymentStatusChange", new { resourceArn = "arn:aws:proton:us-east-1:123456789012:environment/ghost", status = "SUCCEEDED" })).ErrorType);
        Assert.Equal("ValidationException", (await host.CallAsync("NotifyResourceDeploymentStatusChange", new { resourceArn = "arn:aws:s3:::bucket", status = "SUCCEEDED" })).ErrorType);
        var status = await host.CallAsync("NotifyResourceDeploymentStatusChange", new { resourceArn = "arn:aws:proton:us-east-1:123456789012:environment/ghost", status = "DONE" });
        Assert.Contains("'status'", status.Message!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_OnCreateTagUntagAndList()
    {
        await using var host = await ApiHost.StartAsync();
        await host.OkAsync("CreateEnvironmentTemplate", new { name = "vpc-env", tags = new[] { new { key = "team", value = "platform" } } });
        var arn = "arn:aws:proton:us-east-1:123456789012:environment-template/vpc-env";
        await host.OkAsync("TagResource", new { resourceArn = arn, tags = new[] { new { key = "cost", value = "42" } } });
        var tags = (await host.OkAsync("ListTagsForResource", new { resourceArn = arn }))["tags"]!.AsArray();
        Assert.Equal(["cost=42", "team=platform"], tags.Select(t => $"{S(t!["key"])}={S(t["value"])}"));
        await host.OkAsync("UntagResource", new { resourceArn = arn, tagKeys = new[] { "team" } });
        Assert.Equal(["cost"], (await host.OkAsync("ListTagsForResource", new { resourceArn = arn }))["tags"]!.AsArray().Select(t => S(t!["key"])));
        Assert.Equal("ResourceNotFoundException", (await host.CallAsync("TagResource", new { resourceArn = "arn:aws:proton:us-east-1:123456789012:environment/ghost", tags = new[] { new { key = "a", value = "b" } } })).ErrorType);
        Assert.Equal("ValidationException", (await host.CallAsync("TagResource", new { resourceArn = arn, tags = new[] { new { key = "aws:reserved", value = "b" } } })).ErrorType);
    }
}
