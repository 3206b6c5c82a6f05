using System.Text.Json.Nodes;

namespace Proton.Sdk.Api.Tests;

/// <summary>Environment and service templates and their versions.</summary>
public sealed class TemplateOperationTests
{
    private static string S(JsonNode? n) => n!.GetValue<string>();

    [Fact]
    public async Task CreateEnvironmentTemplate_ProtonShape_ThenGetAndList()
    {
        await using var host = await ApiHost.StartAsync();
        var created = (await host.OkAsync("CreateEnvironmentTemplate", new { name = "vpc-env", displayName = "VPC", description = "network" }))["environmentTemplate"]!;
        Assert.Equal("arn:aws:proton:us-east-1:123456789012:environment-template/vpc-env", S(created["arn"]));
        Assert.Equal("VPC", S(created["displayName"]));
        Assert.True(created["createdAt"]!.GetValue<double>() > 1.7e9);
        var got = (await host.OkAsync("GetEnvironmentTemplate", new { name = "vpc-env" }))["environmentTemplate"]!;
        Assert.Equal("network", S(got["description"]));
        var listed = (await host.OkAsync("ListEnvironmentTemplates"))["templates"]!.AsArray();
        Assert.Equal("vpc-env", S(Assert.Single(listed)!["name"]));
        Assert.Empty((await host.OkAsync("ListServiceTemplates"))["templates"]!.AsArray());
    }

    [Fact]
    public async Task CreateEnvironmentTemplate_Twice_Conflict()
    {
        await using var host = await ApiHost.StartAsync();
        await host.OkAsync("CreateEnvironmentTemplate", new { name = "vpc-env" });
        var r = await host.CallAsync("CreateEnvironmentTemplate", new { name = "vpc-env" });
        Assert.Equal(409, r.Status);
        Assert.Equal("ConflictException", r.ErrorType);
    }

    [Fact]
    public async Task CreateEnvironmentTemplate_BadName_ValidationNamingIt()
    {
        await using var host = await ApiHost.StartAsync();
        var r = await host.CallAsync("CreateEnvironmentTemplate", new { name = "-bad name" });
        Assert.Equal("ValidationException", r.ErrorType);
        Assert.Contains("name", r.Message!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetServiceTemplate_OfAnEnvironmentTemplate_NotFound()
    {
        await using var host = await ApiHost.StartAsync();
        await host.OkAsync("CreateEnvironmentTemplate", new { name = "vpc-env" });
        var r = await host.CallAsync("GetServiceTemplate", new { name = "vpc-env" });
        Assert.Equal(404, r.Status);
        Assert.Equal("ResourceNotFoundException", r.ErrorType);
    }

    [Fact]
    public async Task CreateEnvironmentTemplateVersion_MajorAndMinor_AsProtonNumbersThem()
    {
        await using var host = await ApiHost.StartAsync();
        await host.OkAsync("CreateEnvironmentTemplate", new { name = "vpc-env" });
        var source = new { s3 = new { bucket = "samples", key = "vpc-ecs-env/v1" } };
        var first = (await host.OkAsync("CreateEnvironmentTemplateVersion", new { templateName = "vpc-env", source, description = "first" }))["environmentTemplateVersion"]!;
        Assert.Equal(("1", "0", "DRAFT"), (S(first["majorVersion"]), S(first["minorVersion"]), S(first["status"])));
        Assert.Equal("arn:aws:proton:us-east-1:123456789012:environment-template/vpc-env:1.0", S(first["arn"]));
        var minor = (await host.OkAsync("CreateEnvironmentTemplateVersion", new { templateName = "vpc-env", majorVersion = "1", source = new { s3 = new { bucket = "samples", key = "vpc-ecs-env-scriban/v1" } } }))["environmentTemplateVersion"]!;
        Assert.Equal(("1", "1"), (S(minor["majorVersion"]), S(minor["minorVersion"])));
        Assert.NotNull(await host.Platform.Registry.GetVersionAsync("vpc-env", "1.1.0"));
        var versions = (await host.OkAsync("ListEnvironmentTemplateVersions", new { templateName = "vpc-env" }))["templateVersions"]!.AsArray();
        Assert.Equal(["0", "1"], versions.Select(v => S(v!["minorVersion"])));
    }

    [Fact]
    public async Task UpdateEnvironmentTemplateVersion_Published_IsRecommended()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        var v = (await host.OkAsync("GetEnvironmentTemplateVersion", new { templateName = "vpc-env", majorVersion = "1", minorVersion = "0" }))["environmentTemplateVersion"]!;
        Assert.Equal("PUBLISHED", S(v["status"]));
        Assert.Equal("0", S(v["recommendedMinorVersion"]));
        Assert.Equal("1.0", S((await host.OkAsync("GetEnvironmentTemplate", new { name = "vpc-env" }))["environmentTemplate"]!["recommendedVersion"]));
        Assert.Equal(Versioning.TemplateVersionStatus.Published, (await host.Platform.Registry.GetVersionAsync("vpc-env", "1.0.0"))!.Status);
    }

    [Fact]
    public async Task UpdateEnvironmentTemplateVersion_BadStatus_ValidationNamingIt()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        var r = await host.CallAsync("UpdateEnvironmentTemplateVersion", new { templateName = "vpc-env", majorVersion = "1", minorVersion = "0", status = "GONE" });
        Assert.Equal("ValidationException", r.ErrorType);
        Assert.Contains("'status'", r.Message!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetEnvironmentTemplateVersion_Unknown_NotFound()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        var r = await host.CallAsync("GetEnvironmentTemplateVersion", new { templateName = "vpc-env", majorVersion = "3", minorVersion = "0" });
        Assert.Equal("ResourceNotFoundException", r.ErrorType);
    }

    [Fact]
    public async Task CreateEnvironmentTemplateVersion_SourceMissingOrUnknown_Validation()
    {
        await using var host = await ApiHost.StartAsync();
        await host.OkAsync("CreateEnvironmentTemplate", new { name = "vpc-env" });
        var missing = await host.CallAsync("CreateEnvironmentTemplateVersion", new { templateName = "vpc-env" });
        Assert.Equal("ValidationException", missing.ErrorType);
        Assert.Contains("source.s3", missing.Message!, StringComparison.Ordinal);
        var unknown = await host.CallAsync("CreateEnvironmentTemplateVersion", new { templateName = "vpc-env", source = new { s3 = new { bucket = "samples", key = "nothing-here" } } });
        Assert.Equal("ValidationException", unknown.ErrorType);
        Assert.Contains("nothing-here", unknown.Message!, StringComparison.Ordinal);
        Assert.Empty(await host.Platform.Registry.ListVersionsAsync("vpc-env"));
    }

    [Fact]
    public async Task CreateEnvironmentTemplateVersion_ServiceBundleForEnvironmentTemplate_Validation()
    {
        await using var host = await ApiHost.StartAsync();
        await host.OkAsync("CreateEnvironmentTemplate", new { name = "vpc-env" });
        var r = await host.CallAsync("CreateEnvironmentTemplateVersion", new { templateName = "vpc-env", source = new { s3 = new { bucket = "samples", key = "fargate-svc/v1" } } });
        Assert.Equal("ValidationException", r.ErrorType);
    }

    [Fact]
    public async Task CreateEnvironmentTemplateVersion_NoSourceResolver_ValidationSaysSo()
    {
        await using var host = await ApiHost.StartAsync(withSources: false);
        await host.OkAsync("CreateEnvironmentTemplate", new { name = "vpc-env" });
        var r = await host.CallAsync("CreateEnvironmentTemplateVersion", new { templateName = "vpc-env", source = new { s3 = new { bucket = "b", key = "k" } } });
        Assert.Equal("ValidationException", r.ErrorType);
        Assert.Contains("template source", r.Message!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateServiceTemplateVersion_CompatibleEnvironments_RequiredAndReturned()
    {
        await using var host = await ApiHost.StartAsync();
        await host.OkAsync("CreateServiceTemplate", new { name = "fargate" });
        var missing = await host.CallAsync("CreateServiceTemplateVersion", new { templateName = "fargate", source = new { s3 = new { bucket = "samples", key = "fargate-svc/v1" } } });
        Assert.Contains("compatibleEnvironmentTemplates", missing.Message!, StringComparison.Ordinal);
        var v = (await host.OkAsync("CreateServiceTemplateVersion", new { templateName = "fargate", source = new { s3 = new { bucket = "samples", key = "fargate-svc/v1" } }, compatibleEnvironmentTemplates = new[] { new { templateName = "vpc-env", majorVersion = "1" } } }))["serviceTemplateVersion"]!;
        var compatible = Assert.Single(v["compatibleEnvironmentTemplates"]!.AsArray())!;
        Assert.Equal(("vpc-env", "1"), (S(compatible["templateName"]), S(compatible["majorVersion"])));
        var got = (await host.OkAsync("GetServiceTemplateVersion", new { templateName = "fargate", majorVersion = "1", minorVersion = "0" }))["serviceTemplateVersion"]!;
        Assert.Equal("arn:aws:proton:us-east-1:123456789012:service-template/fargate:1.0", S(got["arn"]));
    }

    [Fact]
    public async Task DeleteTemplateAndVersion_ThenGone()
    {
        await using var host = await ApiHost.StartAsync();
        await host.PublishSamplesAsync(service: false);
        var withVersions = await host.CallAsync("DeleteEnvironmentTemplate", new { name = "vpc-env" });
        Assert.Equal("ConflictException", withVersions.ErrorType);
        await host.OkAsync("DeleteEnvironmentTemplateVersion", new { templateName = "vpc-env", majorVersion = "1", minorVersion = "0" });
        Assert.Equal("vpc-env", S((await host.OkAsync("DeleteEnvironmentTemplate", new { name = "vpc-env" }))["environmentTemplate"]!["name"]));
        Assert.Equal("ResourceNotFoundException", (await host.CallAsync("GetEnvironmentTemplate", new { name = "vpc-env" })).ErrorType);
    }

    [Fact]
    public async Task ListEnvironmentTemplates_Pages_WithNextToken()
    {
        await using var host = await ApiHost.StartAsync();
        foreach (var n in new[] { "a1", "b2", "c3" })
        {
            await host.OkAsync("CreateEnvironmentTemplate", new { name = n });
        }

        var first = await host.OkAsync("ListEnvironmentTemplates", new { maxResults = 2 });
        Assert.Equal(["a1", "b2"], first["templates"]!.AsArray().Select(t => S(t!["name"])));
        var token = S(first["nextToken"]);
        var second = await host.OkAsync("ListEnvironmentTemplates", new { maxResults = 2, nextToken = token });
        Assert.Equal(["c3"], second["templates"]!.AsArray().Select(t => S(t!["name"])));
        Assert.Null(second["nextToken"]);
        var bad = await host.CallAsync("ListEnvironmentTemplates", new { nextToken = "garbage" });
        Assert.Equal("ValidationException", bad.ErrorType);
        var otherOperation = await host.CallAsync("ListServiceTemplates", new { nextToken = token });
        Assert.Equal("ValidationException", otherOperation.ErrorType);
        var tooMany = await host.CallAsync("ListEnvironmentTemplates", new { maxResults = 1000 });
        Assert.Contains("'maxResults'", tooMany.Message!, StringComparison.Ordinal);
    }
}
