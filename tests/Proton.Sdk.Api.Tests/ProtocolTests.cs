using System.Text.Json.Nodes;

namespace Proton.Sdk.Api.Tests;

/// <summary>The wire protocol: authentication, dispatch, error shapes.</summary>
public sealed class ProtocolTests
{
    [Fact]
    public async Task Call_Unsigned_403MissingAuthenticationToken()
    {
        await using var host = await ApiHost.StartAsync();
        var r = await host.CallAsync("ListEnvironments", tamper: m => m.Headers.Remove("Authorization"));
        Assert.Equal(403, r.Status);
        Assert.Equal("MissingAuthenticationTokenException", r.ErrorType);
        Assert.Equal("MissingAuthenticationTokenException", r.Body["__type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Call_WrongSecret_403InvalidSignatureAndNothingDone()
    {
        await using var host = await ApiHost.StartAsync();
        var r = await host.CallAsync("CreateEnvironmentTemplate", new { name = "sneaky" }, secret: "not-the-secret");
        Assert.Equal(403, r.Status);
        Assert.Equal("InvalidSignatureException", r.ErrorType);
        Assert.DoesNotContain("not-the-secret", r.Message!, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiHost.Secret, r.Message!, StringComparison.Ordinal);
        Assert.Null(await host.Platform.Registry.GetTemplateAsync("sneaky"));
    }

    [Fact]
    public async Task Call_UnknownAccessKey_403UnrecognizedClient()
    {
        await using var host = await ApiHost.StartAsync();
        var r = await host.CallAsync("ListEnvironments", accessKeyId: "AKIDNOBODY");
        Assert.Equal(403, r.Status);
        Assert.Equal("UnrecognizedClientException", r.ErrorType);
    }

    [Fact]
    public async Task Call_BodyChangedAfterSigning_403InvalidSignature()
    {
        await using var host = await ApiHost.StartAsync();
        var r = await host.CallAsync("CreateEnvironmentTemplate", new { name = "a" }, tamper: m =>
        {
            m.Content = new ByteArrayContent("{\"name\":\"b\"}"u8.ToArray());
            m.Content.Headers.ContentType = new("application/x-amz-json-1.0");
        });
        Assert.Equal("InvalidSignatureException", r.ErrorType);
        Assert.Empty(await host.Platform.Registry.ListTemplatesAsync());
    }

    [Fact]
    public async Task Call_SignedTwentyMinutesAgo_403SignatureExpired()
    {
        await using var host = await ApiHost.StartAsync();
        var r = await host.CallAsync("ListEnvironments", at: DateTimeOffset.UtcNow.AddMinutes(-20));
        Assert.Equal("InvalidSignatureException", r.ErrorType);
        Assert.Contains("expired", r.Message!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ListComponents")]
    [InlineData("CreateRepository")]
    [InlineData("GetAccountSettings")]
    public async Task Call_OperationNotServed_400ValidationNamingIt(string operation)
    {
        await using var host = await ApiHost.StartAsync();
        var r = await host.CallAsync(operation);
        Assert.Equal(400, r.Status);
        Assert.Equal("ValidationException", r.ErrorType);
        Assert.Contains(operation, r.Message!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_BodyNotJson_400Validation()
    {
        await using var host = await ApiHost.StartAsync();
        var r = await host.CallAsync("ListEnvironments", rawBody: "{not json");
        Assert.Equal(400, r.Status);
        Assert.Equal("ValidationException", r.ErrorType);
        Assert.Contains("JSON", r.Message!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_BodyTooLarge_413Validation()
    {
        await using var host = await ApiHost.StartAsync();
        var r = await host.CallAsync("CreateEnvironment", rawBody: "{\"spec\":\"" + new string('x', 2 * 1024 * 1024) + "\"}");
        Assert.Equal((413, "ValidationException"), (r.Status, r.ErrorType));
        Assert.Contains("larger", r.Message!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GetEnvironment", "name")]
    [InlineData("CreateEnvironmentTemplate", "name")]
    [InlineData("GetServiceInstance", "serviceName")]
    [InlineData("ListEnvironmentOutputs", "environmentName")]
    [InlineData("GetDeployment", "id")]
    [InlineData("NotifyResourceDeploymentStatusChange", "resourceArn")]
    public async Task Call_RequiredMemberMissing_ValidationNamingIt(string operation, string member)
    {
        await using var host = await ApiHost.StartAsync();
        var r = await host.CallAsync(operation);
        Assert.Equal("ValidationException", r.ErrorType);
        Assert.Contains($"'{member}'", r.Message!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_MemberOfWrongType_Validation()
    {
        await using var host = await ApiHost.StartAsync();
        var r = await host.CallAsync("GetEnvironment", new { name = 5 });
        Assert.Equal("ValidationException", r.ErrorType);
        Assert.Contains("'name'", r.Message!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_Success_AwsJsonContentType()
    {
        await using var host = await ApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Client.BaseAddress!, "/"));
        var body = "{}"u8.ToArray();
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AwsProton20200720.ListEnvironments");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new("application/x-amz-json-1.0");
        TestSigner.Sign(request, body, ApiHost.AccessKeyId, ApiHost.Secret, DateTimeOffset.UtcNow);
        using var response = await host.Client.SendAsync(request);
        Assert.Equal("application/x-amz-json-1.0", response.Content.Headers.ContentType!.MediaType);
        Assert.Empty(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["environments"]!.AsArray());
    }
}
