using System.Text.Json.Nodes;
using Proton.Sdk.Platform;

namespace Proton.Sdk.Api.Tests;

/// <summary>Environments: background deployments, updates, outputs, cancel, delete.</summary>
public sealed class EnvironmentOperationTests
{
    private static string S(JsonNode? n) => n!.GetValue<string>();

    private static string Status(JsonObject r) => S(r["environment"]!["deploymentStatus"]);

    [Fact]
    public async Task CreateEnvironment_ReturnsInProgressAtOnce_FinishesInBackground()
    {
        var gated = new GatedProvisioner(Path.Combine(Path.GetTempPath(), "proton-api-gated-" + Guid.NewGuid().ToString("N")[..8]));
        await using var host = await ApiHost.StartAsync(gated);
        await host.PublishSamplesAsync(service: false);
        var created = await host.OkAsync("CreateEnvironment", new { name = "dev", templateName = "vpc-env", templateMajorVersion = "1", spec = ApiHost.EnvSpec, description = "development" });
        Assert.Equal("IN_PROGRESS", Status(created));
        var env = created["environment"]!;
        Assert.Equal("arn:aws:proton:us-east-1:123456789012:environment/dev", S(env["arn"]));
        Assert.Equal(("vpc-env", "1", "0"), (S(env["templateName"]), S(env["templateMajorVersion"]), S(env["templateMinorVersion"])));
        Assert.Equal("IN_PROGRESS", Status(await host.OkAsync("GetEnvironment", new { name = "dev" })));

        gated.Open();
        var done = await host.WaitAsync("GetEnvironment", new { name = "dev" }, r => Status(r) != "IN_PROGRESS");
        Assert.Equal("SUCCEEDED", Status(done));
        Assert.Equal(S(done["environment"]!["lastAttemptedDeploymentId"]), S(done["environment"]!["lastSucceededDeploymentId"]));
        Assert.Contains("10.10.0.0/16", S(done["environment"]!["spec"]), StringComparison.Ordinal);
        Assert.Equal(DeploymentStatus.Succeeded, (await host.Platform.GetEnvironmentAsync("dev"))!.DeploymentStatus);
    }

    [Fact]
    public async Task CreateEnvironment_InputBreaksSchema_ValidationNamingTheInput()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        var r = await host.CallAsync("CreateEnvironment", new { name = "dev", templateName = "vpc-env", templateMajorVersion = "1", spec = "proton: EnvironmentSpec\nspec:\n  vpc_cidr: not-a-cidr\n" });
        Assert.Equal("ValidationException", r.ErrorType);
        Assert.Contains("vpc_cidr", r.Message!, StringComparison.Ordinal);
        Assert.Null(await host.Platform.GetEnvironmentAsync("dev"));
    }

    [Fact]
    public async Task CreateEnvironment_SpecNotYamlOrWrongKind_Validation()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        var notYaml = await host.CallAsync("CreateEnvironment", new { name = "dev", templateName = "vpc-env", templateMajorVersion = "1", spec = "proton: [unclosed" });
        Assert.Equal("ValidationException", notYaml.ErrorType);
        var wrongKind = await host.CallAsync("CreateEnvironment", new { name = "dev", templateName = "vpc-env", templateMajorVersion = "1", spec = ApiHost.SvcSpec });
        Assert.Equal("ValidationException", wrongKind.ErrorType);
        Assert.Contains("EnvironmentSpec", wrongKind.Message!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateEnvironment_UnknownTemplateOrMajor_ErrorsAndNothingCreated()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        var template = await host.CallAsync("CreateEnvironment", new { name = "dev", templateName = "nope", templateMajorVersion = "1", spec = ApiHost.EnvSpec });
        Assert.Contains(template.ErrorType, new[] { "ResourceNotFoundException", "ValidationException" });
        Assert.Contains("nope", template.Message!, StringComparison.Ordinal);
        var major = await host.CallAsync("CreateEnvironment", new { name = "dev", templateName = "vpc-env", templateMajorVersion = "7", spec = ApiHost.EnvSpec });
        Assert.Equal(400, major.Status);
        Assert.Null(await host.Platform.GetEnvironmentAsync("dev"));
    }

    [Fact]
    public async Task CreateEnvironment_Twice_Conflict()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        await host.CreateDevAsync();
        var r = await host.CallAsync("CreateEnvironment", new { name = "dev", templateName = "vpc-env", templateMajorVersion = "1", spec = ApiHost.EnvSpec });
        Assert.Equal("ConflictException", r.ErrorType);
    }

    [Fact]
    public async Task CreateEnvironment_ProvisioningRepository_ValidationNotServed()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        var r = await host.CallAsync("CreateEnvironment", new { name = "dev", templateName = "vpc-env", templateMajorVersion = "1", spec = ApiHost.EnvSpec, provisioningRepository = new { provider = "GITHUB", name = "o/r", branch = "main" } });
        Assert.Equal("ValidationException", r.ErrorType);
        Assert.Contains("provisioningRepository", r.Message!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListEnvironments_FilterByTemplateMajor()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        await host.CreateDevAsync();
        var all = (await host.OkAsync("ListEnvironments"))["environments"]!.AsArray();
        Assert.Equal("SUCCEEDED", S(Assert.Single(all)!["deploymentStatus"]));
        Assert.Single((await host.OkAsync("ListEnvironments", new { environmentTemplates = new[] { new { templateName = "vpc-env", majorVersion = "1" } } }))["environments"]!.AsArray());
        Assert.Empty((await host.OkAsync("ListEnvironments", new { environmentTemplates = new[] { new { templateName = "vpc-env", majorVersion = "2" } } }))["environments"]!.AsArray());
    }

    [Fact]
    public async Task UpdateEnvironment_CurrentVersionWithSpec_NewDeploymentWithNewInputs()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        await host.CreateDevAsync();
        var first = (await host.Platform.GetEnvironmentAsync("dev"))!.LastSucceededDeploymentId;
        await host.OkAsync("UpdateEnvironment", new { name = "dev", deploymentType = "CURRENT_VERSION", spec = "proton: EnvironmentSpec\nspec:\n  vpc_cidr: 10.20.0.0/16\n" });
        var done = await host.WaitAsync("GetEnvironment", new { name = "dev" }, r => Status(r) == "SUCCEEDED" && S(r["environment"]!["lastSucceededDeploymentId"]) != first);
        Assert.Contains("10.20.0.0/16", S(done["environment"]!["spec"]), StringComparison.Ordinal);
        Assert.Equal("10.20.0.0/16", (await host.Platform.GetEnvironmentAsync("dev"))!.Inputs["vpc_cidr"]?.ToString());
    }

    [Fact]
    public async Task UpdateEnvironment_NoneWithDescription_NoDeployment()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        await host.CreateDevAsync();
        var before = (await host.Platform.ListDeploymentsAsync("dev")).Count;
        var r = await host.OkAsync("UpdateEnvironment", new { name = "dev", deploymentType = "NONE", description = "renamed" });
        Assert.Equal("renamed", S(r["environment"]!["description"]));
        Assert.Equal(before, (await host.Platform.ListDeploymentsAsync("dev")).Count);
    }

    [Fact]
    public async Task UpdateEnvironment_BadDeploymentTypeOrMissingEnvironment_Errors()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        await host.CreateDevAsync();
        var bad = await host.CallAsync("UpdateEnvironment", new { name = "dev", deploymentType = "SIDEWAYS" });
        Assert.Equal("ValidationException", bad.ErrorType);
        Assert.Contains("'deploymentType'", bad.Message!, StringComparison.Ordinal);
        var missing = await host.CallAsync("UpdateEnvironment", new { name = "prod", deploymentType = "CURRENT_VERSION" });
        Assert.Equal("ResourceNotFoundException", missing.ErrorType);
        var noNewer = await host.CallAsync("UpdateEnvironment", new { name = "dev", deploymentType = "MINOR_VERSION" });
        Assert.Equal("ValidationException", noNewer.ErrorType);
    }

    [Fact]
    public async Task ListEnvironmentOutputs_TheDeploymentsOutputs()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        await host.CreateDevAsync();
        var env = (await host.Platform.GetEnvironmentAsync("dev"))!;
        var outputs = (await host.OkAsync("ListEnvironmentOutputs", new { environmentName = "dev" }))["outputs"]!.AsArray();
        Assert.Equal(env.Outputs.Keys.Order(StringComparer.Ordinal), outputs.Select(o => S(o!["key"])));
        Assert.Contains(outputs, o => S(o!["key"]) == "VpcId" && S(o["valueString"]) == env.Outputs["VpcId"]);
        var byDeployment = (await host.OkAsync("ListEnvironmentOutputs", new { environmentName = "dev", deploymentId = env.LastSucceededDeploymentId }))["outputs"]!.AsArray();
        Assert.Equal(outputs.Count, byDeployment.Count);
        Assert.Equal("ResourceNotFoundException", (await host.CallAsync("ListEnvironmentOutputs", new { environmentName = "dev", deploymentId = "nope" })).ErrorType);
    }

    [Fact]
    public async Task CancelEnvironmentDeployment_WhileRunning_Cancelled_AndWhenIdle_Conflict()
    {
        var gated = new GatedProvisioner(Path.Combine(Path.GetTempPath(), "proton-api-gated-" + Guid.NewGuid().ToString("N")[..8]));
        await using var host = await ApiHost.StartAsync(gated);
        await host.PublishSamplesAsync(service: false);
        await host.OkAsync("CreateEnvironment", new { name = "dev", templateName = "vpc-env", templateMajorVersion = "1", spec = ApiHost.EnvSpec });
        var cancelled = await host.OkAsync("CancelEnvironmentDeployment", new { environmentName = "dev" });
        Assert.Contains(Status(cancelled), new[] { "CANCELLING", "CANCELLED" });
        var done = await host.WaitAsync("GetEnvironment", new { name = "dev" }, r => Status(r) is not ("IN_PROGRESS" or "CANCELLING"));
        Assert.Equal("CANCELLED", Status(done));
        var idle = await host.CallAsync("CancelEnvironmentDeployment", new { environmentName = "dev" });
        Assert.Equal("ConflictException", idle.ErrorType);
    }

    [Fact]
    public async Task DeleteEnvironment_ThenNotFound()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        await host.CreateDevAsync();
        var deleted = await host.OkAsync("DeleteEnvironment", new { name = "dev" });
        Assert.Contains(Status(deleted), new[] { "DELETE_IN_PROGRESS", "DELETE_COMPLETE" });
        for (var i = 0; i < 200 && await host.Platform.GetEnvironmentAsync("dev") is not null; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal("ResourceNotFoundException", (await host.CallAsync("GetEnvironment", new { name = "dev" })).ErrorType);
    }
}
