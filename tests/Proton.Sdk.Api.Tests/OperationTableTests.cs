using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;

namespace Proton.Sdk.Api.Tests;

/// <summary>The table of operations: real Proton operations (botocore's service model), all listed in README, none answering 500.</summary>
public sealed partial class OperationTableTests
{
    private static IReadOnlyCollection<string> Served(ApiHost host) => host.Services.GetRequiredService<ProtonApiHandler>().Operations;

    private static HashSet<string> BotocoreOperations()
    {
        var psi = new ProcessStartInfo("python3", ["-c", "import botocore.session; m = botocore.session.get_session().get_component('data_loader').load_service_model('proton', 'service-2'); print('\\n'.join(m['operations']))"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    }

    [Fact]
    public async Task Operations_AreProtonsAndReadmeListsExactlyThem()
    {
        await using var host = await ApiHost.StartAsync();
        var served = Served(host).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(served.Except(BotocoreOperations()));
        var readme = File.ReadAllText(Path.Combine(ApiHost.RepoRoot, "README.md"));
        var start = readme.IndexOf("Operations served (", StringComparison.Ordinal);
        var end = readme.IndexOf("Every other operation", start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README has no list of the operations served");
        var listed = Backticked().Matches(readme[start..end]).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(served.Order(), listed.Order());
        Assert.Contains($"Operations served ({served.Count})", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryOperation_EmptyOrWrongInput_ProtonErrorNever500()
    {
        await using var host = await ApiHost.StartAsync();
        foreach (var operation in Served(host))
        {
            foreach (var body in new object[] { new { }, new { name = "x", templateName = "x", serviceName = "x", resourceArn = "x", environmentName = "x", id = "x", majorVersion = "x", minorVersion = "x", deploymentType = "NONE", spec = "x", serviceInstanceName = "x", source = 1, tags = "x", tagKeys = 1 },
                new { name = "a b/../c", templateName = new string('t', 500), serviceName = "s/x", resourceArn = "arn:aws:proton:us-east-1:123456789012:environment/a b", environmentName = "../e", id = "../d", majorVersion = "1", minorVersion = "0", deploymentType = "NONE", spec = "proton: EnvironmentSpec\nspec: {}\n", serviceInstanceName = "i i", tags = new[] { 1 }, tagKeys = new[] { 1 }, outputs = new[] { 1 }, compatibleEnvironmentTemplates = new[] { 1 }, environmentTemplates = new[] { 1 } } })
            {
                var r = await host.CallAsync(operation, body);
                Assert.True(r.Status is 200 or 400 or 404 or 409, $"{operation}: {r.Status} {r.Body.ToJsonString()}");
                if (r.Status != 200)
                {
                    Assert.Contains(r.ErrorType, new[] { "ValidationException", "ResourceNotFoundException", "ConflictException" });
                    Assert.Equal(r.ErrorType, r.Body["__type"]!.GetValue<string>());
                    Assert.False(string.IsNullOrWhiteSpace(r.Message));
                }
            }
        }
    }

    [GeneratedRegex("`([A-Za-z]+)`")]
    private static partial Regex Backticked();
}
