using System.Text;

namespace Proton.Sdk.Tests.Cli;

/// <summary>
/// Every command that reads a file the user names reads it as strict UTF-8: a file that is otherwise valid but holds an
/// invalid byte is refused with the file, line, column and byte offset (exit 1), and no U+FFFD reaches the output or the store.
/// </summary>
public sealed class InvalidUtf8InputCliTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    // 0xE9 is 'é' in Latin-1: a lone continuation-less byte, invalid UTF-8. Each file is valid for its command otherwise.
    public static TheoryData<string, string, string, string> Cases => new()
    {
        // case name, file name, file content ('\u00E9' is written as the single byte 0xE9), arguments ({file} is the file)
        { "render template", "t.yaml", "Resources: {}\n# caf\u00E9\n", "render|{file}|--context|{work}/context.json" },
        { "render context", "c.json", "{\"name\": \"caf\u00E9\"}", "render|{work}/template.yaml|--context|{file}" },
        { "env import outputs", "o.json", "{\"VpcId\": \"vpc-\u00E9\"}", "env|import|imported|--template|env|--outputs|{file}|--store|{store}" },
        { "deployments notify outputs", "n.json", "{\"VpcId\": \"vpc-\u00E9\"}", "deployments|notify|{id}|--status|succeeded|--outputs|{file}|--store|{store}" },
        { "policy check", "p.json", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"arn:\u00E9\"}]}", "policy|{bundle}|--spec|{spec}|--schemas|{schemas}|--check|{file}|--store|{store}" },
        { "env create spec", "s.yaml", "proton: EnvironmentSpec\n\nspec:\n  # caf\u00E9\n  vpc_cidr: 10.0.0.0/16\n", "env|create|latin|--template|env|--spec|{file}|--store|{store}" },
        { "spec validate", "v.yaml", "proton: EnvironmentSpec\n\nspec:\n  # caf\u00E9\n  vpc_cidr: 10.0.0.0/16\n", "spec|validate|{bundle}|{file}" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InvalidUtf8_InAFileTheCommandReads_IsALocatedEncodingError_Exit1(string name, string fileName, string content, string arguments)
    {
        var file = Path.Combine(fixture.Work, "utf8-" + fileName);
        await File.WriteAllBytesAsync(file, Encoding.Latin1.GetBytes(content));
        var line = content[..content.IndexOf('\u00E9', StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        var offset = content.IndexOf('\u00E9', StringComparison.Ordinal);
        var deploymentsBefore = (await CliRunner.Run("deployments", "list", "--output", "json", "--store", fixture.Store)).Out;
        var args = arguments.Split('|').Select(a => a
            .Replace("{file}", file, StringComparison.Ordinal)
            .Replace("{work}", fixture.Work, StringComparison.Ordinal)
            .Replace("{store}", fixture.Store, StringComparison.Ordinal)
            .Replace("{bundle}", fixture.Bundle, StringComparison.Ordinal)
            .Replace("{spec}", fixture.Spec, StringComparison.Ordinal)
            .Replace("{schemas}", Platform.UpgradeImpactTests.ProviderSchemas, StringComparison.Ordinal)
            .Replace("{id}", fixture.DeploymentId, StringComparison.Ordinal)).ToArray();

        var (exit, output, err) = await CliRunner.Run(args);

        Assert.True(exit == 1, $"{name}: exit {exit}\n{output}\n{err}");
        Assert.Contains("invalid-encoding", err, StringComparison.Ordinal);
        Assert.Contains(file, err, StringComparison.Ordinal);
        Assert.Contains($"byte 0xE9 at line {line}", err, StringComparison.Ordinal);
        Assert.Contains($"(offset {offset})", err, StringComparison.Ordinal);
        Assert.DoesNotContain("\uFFFD", output + err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.Equal(deploymentsBefore, (await CliRunner.Run("deployments", "list", "--output", "json", "--store", fixture.Store)).Out);
    }
}
