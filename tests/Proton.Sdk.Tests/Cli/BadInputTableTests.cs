namespace Proton.Sdk.Tests.Cli;

/// <summary>
/// Every command with a table of bad inputs, run in process. Each must end in exit 1 (invalid input) or 2 (usage), print
/// no stack trace, never hang, and write nothing outside the store.
/// </summary>
public sealed class BadInputTableTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private static readonly string Long = new('a', 500);

    // One case a line: arguments separated by '|'. {store}, {work}, {bundle}, {spec}, {fifo}, {id} and {long} are replaced.
    public static TheoryData<string> Cases => new()
    {
        // no command, unknown commands and flags, missing and extra arguments
        "",
        "frobnicate",
        "env|frobnicate",
        "template",
        "env|list|--bogus|--store|{store}",
        "summary|-z|--store|{store}",
        "env|list|extra|--store|{store}",
        "summary|extra|--store|{store}",
        "template|show|a|b|--store|{store}",
        "template|show|--store|{store}",
        "template|create|--store|{store}",
        "template|create|x|--kind|widget|--store|{store}",
        "template|register|env|--store|{store}",
        "template|publish|env|--store|{store}",
        "env|show|--store|{store}",
        "env|create|--store|{store}",
        "env|create|x|--store|{store}",
        "env|update|dev|--store|{store}",
        "env|import|x|--template|env|--store|{store}",
        "env|import|x|--template|env|--stack|s|--outputs|{work}/context.json|--store|{store}",
        "service|create|x|--template|env|--store|{store}",
        "service|update|web|--store|{store}",
        "service|update|web|--instance|a|--pipeline|--type|minor|--store|{store}",
        "deployments|show|--store|{store}",
        "deployments|cancel|--store|{store}",
        "rollback|--store|{store}",
        "upgrade|--store|{store}",
        "policy",
        "policy|{bundle}",
        "policy|{bundle}|--schemas|{work}/folder|--from-version|1.0.0",
        "render",
        "render|{work}/template.yaml",
        "render|{work}/template.yaml|--context",
        "render|{work}/template.yaml|--context|{work}/context.json|--engine|liquid",
        "spec|validate|{bundle}",
        "schema|diff|{bundle}",
        "bundle|inspect",
        "bundle|inspect|a|b",
        "bundle|inspect|{bundle}|--output|xml",
        "completion|fish",
        "@{work}/no-such-response-file",

        // names that are not Proton names, ids that are not store keys
        "template|show|../x|--store|{store}",
        "template|show|a b|--store|{store}",
        "template|show|{long}|--store|{store}",
        "template|create|../x|--kind|service|--store|{store}",
        "template|delete|../x|--store|{store}",
        "env|show|../x|--store|{store}",
        "env|delete|../x|--store|{store}",
        "env|update|../x|--type|current|--store|{store}",
        "env|create|{long}|--template|env|--store|{store}",
        "env|create|x|--template|../env|--store|{store}",
        "service|show|../x|--store|{store}",
        "service|delete|a b|--store|{store}",
        "deployments|show|../x|--store|{store}",
        "deployments|show|{long}{long}|--store|{store}",
        "deployments|cancel|../x|--store|{store}",
        "deployments|list|--env|../x|--store|{store}",
        "rollback|../x|--store|{store}",
        "upgrade|../x|--store|{store}",

        // versions: one strict parser everywhere
        "template|publish|env|01.0.0|--store|{store}",
        "template|publish|env|1.0.0.0|--store|{store}",
        "template|register|env|{bundle}|--version|01.0.0|--store|{store}",
        "env|create|x|--template|env|--version|01.0.0|--store|{store}",
        "env|create|x|--template|env|--version||--store|{store}",
        "upgrade|env|--version|1.00.0|--store|{store}",
        "upgrade|env|--max-concurrency|0|--store|{store}",
        "upgrade|env|--max-concurrency|two|--store|{store}",
        "upgrade|env|--failure-tolerance|-1|--store|{store}",

        // things that are not there, or not in a form the command reads
        "template|show|nope|--store|{store}",
        "env|show|nope|--store|{store}",
        "env|delete|nope|--store|{store}",
        "service|show|nope|--store|{store}",
        "deployments|show|nope|--store|{store}",
        "deployments|cancel|nope|--store|{store}",
        "deployments|cancel|{id}|--store|{store}",
        "rollback|nope|--store|{store}",
        "upgrade|nope|--store|{store}",
        "template|register|env|{work}/missing|--store|{store}",
        "template|register|env|{work}/empty-folder|--store|{store}",
        "template|register|env|{work}/binary|--store|{store}",
        "template|register|nope|{bundle}|--store|{store}",
        "env|create|x|--template|env|--spec|{work}/missing.yaml|--store|{store}",
        "env|create|x|--template|env|--spec|{work}/folder|--store|{store}",
        "env|create|x|--template|env|--spec|{work}/empty|--store|{store}",
        "env|create|x|--template|env|--spec|{work}/binary|--store|{store}",
        "env|create|x|--template|env|--spec|{work}/not-yaml.yaml|--store|{store}",
        "env|create|x|--template|env|--spec|{work}/svc-spec.yaml|--store|{store}",
        "env|create|x|--template|env|--spec|/dev/zero|--store|{store}",
        "env|create|x|--template|env|--spec|{fifo}|--store|{store}",
        "env|create|dev|--template|env|--spec|{spec}|--store|{store}",
        "env|create|x|--template|nope|--store|{store}",
        "env|import|x|--template|env|--outputs|{work}/missing.json|--store|{store}",
        "env|import|x|--template|env|--outputs|{work}/folder|--store|{store}",
        "env|import|x|--template|env|--outputs|{work}/binary|--store|{store}",
        "env|import|x|--template|env|--outputs|{work}/array.json|--store|{store}",
        "env|import|x|--template|env|--outputs|{work}/nested.json|--store|{store}",
        "env|import|x|--template|env|--outputs|/dev/zero|--store|{store}",
        "env|import|x|--template|env|--outputs|{fifo}|--store|{store}",
        "service|create|web|--template|env|--spec|{work}/svc-spec.yaml|--store|{store}",
        "service|create|web|--template|env|--spec|{spec}|--store|{store}",
        "render|{work}/missing.yaml|--context|{work}/context.json",
        "render|{work}/folder|--context|{work}/context.json",
        "render|/dev/zero|--context|{work}/context.json",
        "render|{work}/template.yaml|--context|{fifo}",
        "render|{work}/template.yaml|--context|{work}/binary",
        "render|{work}/template.yaml|--context|{work}/empty",
        "render|{work}/template.yaml|--context|{work}/array.json",
        "render|{work}/template.yaml|--context|{work}/context.json|-o|{work}/missing-folder/x.yaml",
        "render|{work}/template.yaml|--context|{work}/context.json|-o|{work}/folder",
        "render|{work}/template.yaml|--context|{work}/context.json|-o|",
        "spec|validate|{bundle}|{work}/missing.yaml",
        "spec|validate|{bundle}|{work}/folder",
        "spec|validate|{bundle}|{fifo}",
        "spec|validate|{bundle}|/dev/zero",
        "spec|validate|{bundle}|{work}/binary",
        "spec|validate|{work}/missing|{spec}",
        "schema|diff|{bundle}|{work}/missing",
        "schema|diff|{bundle}|{work}/binary",
        "bundle|inspect|{work}/missing",
        "bundle|inspect|{work}/empty-folder",
        "bundle|inspect|{work}/empty",
        "bundle|inspect|{work}/binary",
        "bundle|inspect|/dev/zero",
        "bundle|inspect|{fifo}",
        "bundle|inspect|/proc/self",
        "bundle|inspect|/proc/sys/kernel",
        "bundle|inspect|ftp://host/bundle.tar.gz",
        "bundle|inspect|s3://",
        "policy|{bundle}|--schemas|{work}/missing-folder",
        "policy|{bundle}|--schemas|{work}/folder|--check|{work}/missing.json",
        "policy|{bundle}|--schemas|{work}/folder|--check|{work}/folder",
        "policy|{bundle}|--schemas|{work}/folder|--check|{fifo}",
        "policy|{bundle}|--schemas|{work}/folder|--check|{work}/statement.json",
        "policy|{bundle}|--schemas|{work}/folder|--check|{work}/action5.json",
        "policy|{bundle}|--schemas|{work}/folder|--check|{work}/binary",
        "policy|nope|--schemas|{work}/folder|--store|{store}",

        // stores
        "env|list|--store|{work}/typo",
        "template|list|--store|{work}/typo",
        "summary|--store|{work}/folder",
        "env|list|--store|{work}/empty",
        "env|create|x|--template|env|--store|{work}/empty",
        "template|create|x|--kind|service|--store|{work}/empty",
        "env|list|--store|",
        "env|list|--store|s3:",
        "env|list|--store|s3://",
        "env|list|--store|ftp://bucket/prefix",
        "env|list|--store|file:///tmp/x",
        "env|list|--store|s3://a",
        "env|list|--store|{store}|--endpoint-url|not a url",
        "env|create|x|--template|env|--store|{store}|--provisioner|nope",
        "env|list|--store|{store}|--output|yaml",
        "env|list|--store|dynamodb://table",
        "env|list|--store|dynamodb://t?blobs=s3://bucket",
        "env|list|--store|dynamodb://table?blobs=gs://bucket",
        "env|list|--store|dynamodb://table?blobs=s3://bucket&blobs=s3://other",
        "env|list|--store|dynamodb://table?region=us-east-1",
        "store",
        "store|init|extra",
        "store|init|--store|dynamodb://table",
        "store|init|--store|{work}/empty",
        "store|repair-index|--store|{work}/empty",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_ExitsOneOrTwo_WithoutStackTraceOrStrayFiles(string line)
    {
        if (line.Contains("{fifo}", StringComparison.Ordinal) && fixture.Fifo is null)
        {
            return;
        }

        var args = line.Length == 0 ? [] : line.Split('|').Select(a => a
            .Replace("{store}", fixture.Store, StringComparison.Ordinal)
            .Replace("{work}", fixture.Work, StringComparison.Ordinal)
            .Replace("{bundle}", fixture.Bundle, StringComparison.Ordinal)
            .Replace("{spec}", fixture.Spec, StringComparison.Ordinal)
            .Replace("{fifo}", fixture.Fifo ?? string.Empty, StringComparison.Ordinal)
            .Replace("{id}", fixture.DeploymentId, StringComparison.Ordinal)
            .Replace("{long}", Long, StringComparison.Ordinal)).ToArray();
        var before = Outside();
        var defaultStoreExisted = Directory.Exists(".proton");

        var run = CliRunner.Run(args);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(finished == run, $"proton {line} did not finish in 30 s");
        var (exit, stdout, stderr) = await run;

        var shown = $"proton {line}\nexit {exit}\nstdout: {stdout}\nstderr: {stderr}";
        Assert.True(exit is 1 or 2, shown);
        Assert.NotEmpty(stderr.Trim());
        foreach (var text in new[] { stdout, stderr })
        {
            Assert.DoesNotMatch(@"\n\s+at [\w.<>`]+\(|Exception:|\.cs:line \d+|System\.Collections\.Generic|`\d\[", text);
        }

        Assert.Equal(before, Outside());
        Assert.Equal(defaultStoreExisted, Directory.Exists(".proton"));
    }

    /// <summary>Every file and folder in the work folder outside the store, with its size and time.</summary>
    private string Outside()
        => string.Join('\n', Directory.EnumerateFileSystemEntries(fixture.Work, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(fixture.Store + Path.DirectorySeparatorChar, StringComparison.Ordinal) && p != fixture.Store)
            .Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p) ? $"{p} {new FileInfo(p).Length} {File.GetLastWriteTimeUtc(p):O}" : p + "/"));
}
