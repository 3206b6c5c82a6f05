using System.Text.Json;
using System.Text.Json.Nodes;
using Proton.Sdk.Policies;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Policies;

/// <summary>The 2024-09 table of handler permissions in ../shared/data, as a source (test data only).</summary>
internal sealed class TableSource : IResourcePermissionSource
{
    private static readonly Lazy<Dictionary<string, Dictionary<string, List<string>>>> Table = new(() =>
        JsonSerializer.Deserialize<JsonObject>(File.ReadAllText(Path.Combine(DataFolder, "cfn-handler-permissions.json")))!["types"]!
            .Deserialize<Dictionary<string, Dictionary<string, List<string>>>>()!);

    public int Calls;

    public static string DataFolder => Path.Combine(Path.GetDirectoryName(Corpus.Root)!, "data");

    public ValueTask<ResourceTypePermissions?> GetAsync(string typeName, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        return ValueTask.FromResult(Table.Value.TryGetValue(typeName, out var h)
            ? new ResourceTypePermissions(typeName, h.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value))
            : null);
    }
}

public sealed class PolicyTests
{
    public static TheoryData<string> CloudFormationRenderCases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.EnumerateDirectories(Corpus.RenderCases).Order(StringComparer.Ordinal))
        {
            var expected = Path.Combine(dir, "expected.yaml");
            if (File.Exists(expected) && File.ReadAllText(expected).Contains("\nResources:", StringComparison.Ordinal) || (File.Exists(expected) && File.ReadAllText(expected).StartsWith("Resources:", StringComparison.Ordinal)))
            {
                data.Add(Path.GetFileName(dir));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CloudFormationRenderCases))]
    public async Task EveryCorpusTemplate_EveryTypeIsCoveredOrNamed(string renderCase)
    {
        var body = await File.ReadAllTextAsync(Path.Combine(Corpus.RenderCases, renderCase, "expected.yaml"));
        var types = CloudFormationTemplate.Parse(body, renderCase).Resources.Select(r => r.Type).ToHashSet(StringComparer.Ordinal);

        var policy = await new PolicyBuilder(new TableSource()).BuildAsync([body]);

        Assert.NotEmpty(types);
        foreach (var type in types)
        {
            var covered = policy.ActionsByType.TryGetValue(type, out var actions) && actions.Count > 0;
            var named = policy.Uncovered.Any(u => u.TypeName == type);
            Assert.True(covered ^ named, $"{renderCase}: {type} is {(covered ? "covered and named" : "neither covered nor named")}");
        }

        Assert.All(policy.Actions, a => Assert.Contains(a, JsonNode.Parse(policy.PolicyDocument)!["Statement"]!.AsArray().SelectMany(s => s!["Action"]!.AsArray()).Select(x => (string)x!)));
    }

    [Fact]
    public async Task ExactActions_ForAQueueAndATopic_WorkedOutFromTheTable()
    {
        const string template = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  T:\n    Type: AWS::SNS::Topic\n";

        var create = await new PolicyBuilder(new TableSource()).BuildAsync([template], StackOperations.Create);
        var delete = await new PolicyBuilder(new TableSource()).BuildAsync([template], StackOperations.Delete);

        // create + read handlers of AWS::SQS::Queue and AWS::SNS::Topic in cfn-handler-permissions.json
        Assert.Equal(
            ["sqs:CreateQueue", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags", "sqs:TagQueue"],
            create.ActionsByType["AWS::SQS::Queue"]);
        Assert.Equal(
            ["iam:GetRole", "iam:PassRole", "sns:CreateTopic", "sns:GetDataProtectionPolicy", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource", "sns:PutDataProtectionPolicy", "sns:Subscribe", "sns:TagResource"],
            create.ActionsByType["AWS::SNS::Topic"]);
        Assert.Equal(["sqs:DeleteQueue", "sqs:GetQueueAttributes", "sqs:ListQueueTags"], delete.ActionsByType["AWS::SQS::Queue"]);
        Assert.Equal(
            PolicyBuilder.CloudFormationActions.Concat(create.ActionsByType.Values.SelectMany(a => a)).Distinct().Order(StringComparer.OrdinalIgnoreCase),
            create.Actions);
        var statements = JsonNode.Parse(create.PolicyDocument)!["Statement"]!.AsArray();
        Assert.Equal(["Cloudformation", "Iam", "Sns", "Sqs"], statements.Select(s => (string)s!["Sid"]!));
        Assert.False(create.PassesRoles);
    }

    [Fact]
    public async Task UncoveredTypes_AreNamed_AndTransformsFlagged()
    {
        const string template = "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n  C:\n    Type: Custom::Thing\n  B:\n    Type: AWS::CodeBuild::Project\n    Properties:\n      ServiceRole: arn:aws:iam::1:role/x\n  N:\n    Type: AWS::Nope::Nothing\n";

        var policy = await new PolicyBuilder(new TableSource()).BuildAsync([template]);

        Assert.True(policy.NeedsAutoExpand);
        Assert.True(policy.PassesRoles);
        Assert.Contains("iam:PassRole", policy.Actions);
        Assert.Equal(["AWS::CodeBuild::Project", "AWS::Nope::Nothing", "AWS::Serverless::Function", "Custom::Thing"], policy.Uncovered.Select(u => u.TypeName));
        Assert.Contains("no handler permissions", policy.Uncovered[0].Reason, StringComparison.Ordinal);
        Assert.Equal("no provider schema", policy.Uncovered[1].Reason);
    }

    [Fact]
    public async Task UpgradeDiff_ListsExactlyTheNewTypesActions()
    {
        var v1 = Platform.PlatformKit.Env();
        var v2 = Platform.PlatformKit.Env(extraResource: "  Logs:\n    Type: AWS::Logs::LogGroup\n");
        var builder = new PolicyBuilder(new TableSource());
        async Task<PolicyResult> For(Proton.Sdk.Templates.InMemoryBundleSource source)
        {
            var bundle = (await Proton.Sdk.Templates.TemplateBundleLoader.LoadAsync(source)).GetBundleOrThrow();
            var file = bundle.Part(Proton.Sdk.Templates.InfrastructurePartKind.Infrastructure)!.TemplateFiles[0];
            var rendered = Proton.Sdk.Rendering.TemplateRenderer.Default.Render(file.Text, file.Path, Proton.Sdk.Rendering.ProtonContexts.ForEnvironment(new Proton.Sdk.Rendering.EnvironmentInfo("dev") { Inputs = new Dictionary<string, object?> { ["vpc_cidr"] = "10.0.0.0/16" } }));
            return await builder.BuildAsync([rendered]);
        }

        var diff = PolicyBuilder.Compare(await For(v1), await For(v2));

        var logs = (await new TableSource().GetAsync("AWS::Logs::LogGroup"))!;
        var vpc = (await new TableSource().GetAsync("AWS::EC2::VPC"))!;
        var expected = logs.Handlers.Where(h => h.Key != "list").SelectMany(h => h.Value)
            .Where(a => !vpc.Handlers.Where(h => h.Key != "list").SelectMany(h => h.Value).Contains(a, StringComparer.OrdinalIgnoreCase) && !a.StartsWith("cloudformation:", StringComparison.Ordinal))
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase);
        Assert.Equal(expected, diff.Added);
        Assert.Empty(diff.Removed);
        Assert.Contains("logs:CreateLogGroup", diff.Added);
    }

    [Fact]
    public async Task Sources_FolderOfProviderSchemas_AndTheCache_OneLookupPerTypePerProcess()
    {
        var folder = new ProviderSchemaFolderSource(Path.Combine(TableSource.DataFolder, "provider-schemas"));
        var queue = await folder.GetAsync("AWS::SQS::Queue");
        Assert.Equal((await new TableSource().GetAsync("AWS::SQS::Queue"))!.Handlers["create"], queue!.Handlers["create"]);
        Assert.False((await folder.GetAsync("AWS::CodeBuild::Project"))!.HasHandlers);
        Assert.Null(await folder.GetAsync("AWS::Nope::Nothing"));

        var dir = Directory.CreateTempSubdirectory("proton-perm-cache-").FullName;
        try
        {
            var table = new TableSource();
            var cached = new CachingPermissionSource(table, dir);
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => await cached.GetAsync("AWS::SQS::Queue")));
            await cached.GetAsync("AWS::Nope::Nothing");
            await cached.GetAsync("AWS::Nope::Nothing");
            Assert.Equal(2, table.Calls);

            var again = new TableSource();
            var fromDisk = new CachingPermissionSource(again, dir);
            Assert.Equal(queue.Handlers["delete"], (await fromDisk.GetAsync("AWS::SQS::Queue"))!.Handlers["delete"]);
            Assert.Null(await fromDisk.GetAsync("AWS::Nope::Nothing"));
            Assert.Equal(0, again.Calls);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Checker_FindsEachRemovedAction_HonoursDeny_AndPassesWildcards()
    {
        var policy = await new PolicyBuilder(new TableSource()).BuildAsync(["Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  T:\n    Type: AWS::SNS::Topic\n"]);
        Assert.True(PolicyChecker.Check(policy.PolicyDocument, policy.Actions).IsSufficient);

        foreach (var removed in policy.Actions)
        {
            var doc = JsonNode.Parse(policy.PolicyDocument)!;
            foreach (var s in doc["Statement"]!.AsArray())
            {
                var list = s!["Action"]!.AsArray();
                var hit = list.FirstOrDefault(a => (string)a! == removed);
                if (hit is not null)
                {
                    list.Remove(hit);
                }
            }

            Assert.Equal([removed], PolicyChecker.Check(doc.ToJsonString(), policy.Actions).Missing);
        }

        var wildcards = """{"Statement":[{"Effect":"Allow","Action":["sqs:*","sns:*","IAM:Get*","iam:PassRole","cloudformation:*"],"Resource":"*"}]}""";
        Assert.True(PolicyChecker.Check(wildcards, policy.Actions).IsSufficient);
        var deny = """{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"sqs:Delete*","Resource":"*"}]}""";
        Assert.Equal(["sqs:DeleteQueue"], PolicyChecker.Check(deny, ["sqs:CreateQueue", "sqs:DeleteQueue"]).Denied);
        var notAction = """{"Statement":{"Effect":"Allow","NotAction":["iam:*"],"Resource":"*"}}""";
        Assert.Equal(["iam:PassRole"], PolicyChecker.Check(notAction, ["sqs:CreateQueue", "iam:PassRole"]).Missing);
        Assert.Equal("policy.invalid-document", Assert.Throws<ProtonException>(() => PolicyChecker.Check("""{"Statement":[{"Effect":"Maybe","Action":"*"}]}""", ["a:b"])).ErrorCode);
    }

    [Fact]
    public void Checker_AgreesWithABruteForceEvaluator_OnRandomPolicies()
    {
        string[] universe = ["sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueUrl", "sns:CreateTopic", "sns:DeleteTopic", "iam:PassRole", "iam:GetRole", "ec2:CreateVpc", "ec2:DescribeVpcs", "s3:PutObject"];
        string[] patterns = ["*", "sqs:*", "sns:*", "iam:*", "*:Create*", "*Delete*", "sqs:???Queue*", "ec2:Describe*", "SQS:createqueue", "iam:P?ssRole", "s3:Put*", "*:*Role", "ec2:*Vpc", "nope:*"];
        var random = new Random(20261127);
        for (var run = 0; run < 2_000; run++)
        {
            var statements = Enumerable.Range(0, random.Next(1, 5)).Select(_ => (
                Allow: random.NextDouble() < 0.7,
                Not: random.NextDouble() < 0.2,
                Patterns: Enumerable.Range(0, random.Next(1, 4)).Select(_ => patterns[random.Next(patterns.Length)]).ToArray())).ToList();
            var json = new JsonObject
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new JsonArray(statements.Select(s => (JsonNode)new JsonObject
                {
                    ["Effect"] = s.Allow ? "Allow" : "Deny",
                    [s.Not ? "NotAction" : "Action"] = new JsonArray(s.Patterns.Select(p => (JsonNode)JsonValue.Create(p)!).ToArray()),
                    ["Resource"] = "*",
                }).ToArray()),
            }.ToJsonString();

            var result = PolicyChecker.Check(json, universe);

            foreach (var action in universe)
            {
                bool Matches((bool Allow, bool Not, string[] Patterns) s) => s.Patterns.Any(p => System.Text.RegularExpressions.Regex.IsMatch(action, "^" + System.Text.RegularExpressions.Regex.Escape(p).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)) != s.Not;
                var denied = statements.Any(s => !s.Allow && Matches(s));
                var allowed = !denied && statements.Any(s => s.Allow && Matches(s));
                Assert.Equal(denied, result.Denied.Contains(action));
                Assert.Equal(!allowed && !denied, result.Missing.Contains(action));
            }
        }
    }
}

public sealed class PolicyCliAndPlatformTests : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("proton-policy-").FullName;

    public void Dispose() => Directory.Delete(_store, recursive: true);

    private static string Schemas => Path.Combine(TableSource.DataFolder, "provider-schemas");

    private static string Sample(string name) => Path.Combine(Corpus.RepoRoot, "samples", "templates", name, "v1");

    [Fact]
    public async Task PolicyCommand_ForABundle_CheckAndUpgradeDiff()
    {
        var (exit, stdout, stderr) = await Cli.CliRunner.Run("policy", Sample("fargate-svc"), "--schemas", Schemas, "--store", _store);
        Assert.True(exit == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            var byType = doc.RootElement.GetProperty("actionsByType");
            Assert.True(byType.TryGetProperty("AWS::ECS::Service", out _));
            Assert.True(doc.RootElement.GetProperty("passesRoles").GetBoolean());
            Assert.Contains(doc.RootElement.GetProperty("uncovered").EnumerateArray(), u => u.GetProperty("typeName").GetString() == "AWS::CodeBuild::Project");
        }

        var policyFile = Path.Combine(_store, "role.json");
        await File.WriteAllTextAsync(policyFile, """{"Statement":[{"Effect":"Allow","Action":["ecs:*","ec2:*","iam:*","logs:*","cloudformation:*"],"Resource":"*"}]}""");
        var check = await Cli.CliRunner.Run("policy", Sample("fargate-svc"), "--schemas", Schemas, "--store", _store, "--check", policyFile);
        Assert.Equal(1, check.Exit);
        using (var doc = JsonDocument.Parse(check.Out))
        {
            var missing = doc.RootElement.GetProperty("missing").EnumerateArray().Select(m => m.GetString()!).ToList();
            Assert.Contains("elasticloadbalancing:CreateLoadBalancer", missing);
            Assert.DoesNotContain(missing, m => m.StartsWith("ecs:", StringComparison.Ordinal));
        }

        Assert.Equal(0, (await Cli.CliRunner.Run("template", "create", "env", "--kind", "environment", "--store", _store)).Exit);
        var v1 = Path.Combine(_store, "v1");
        var v2 = Path.Combine(_store, "v2");
        foreach (var (dir, extra) in new[] { (v1, string.Empty), (v2, "  Logs:\n    Type: AWS::Logs::LogGroup\n") })
        {
            foreach (var f in await Platform.PlatformKit.Env(extraResource: extra).ReadFilesAsync(Proton.Sdk.Templates.BundleOptions.Default))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, f.Path))!);
                await File.WriteAllBytesAsync(Path.Combine(dir, f.Path), f.Content.ToArray());
            }

            Assert.Equal(0, (await Cli.CliRunner.Run("template", "register", "env", dir, "--store", _store)).Exit);
        }

        var diff = await Cli.CliRunner.Run("policy", "env", "--from-version", "1.0.0", "--to-version", "1.0.1", "--schemas", Schemas, "--store", _store);
        Assert.True(diff.Exit == 0, diff.Err);
        using (var doc = JsonDocument.Parse(diff.Out))
        {
            var added = doc.RootElement.GetProperty("added").EnumerateArray().Select(x => x.GetString()).ToList();
            var logs = (await new TableSource().GetAsync("AWS::Logs::LogGroup"))!.Handlers.Where(h => h.Key != "list").SelectMany(h => h.Value);
            var vpc = (await new TableSource().GetAsync("AWS::EC2::VPC"))!.Handlers.Where(h => h.Key != "list").SelectMany(h => h.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.Equal(logs.Where(a => !vpc.Contains(a)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase), added);
            Assert.Contains("logs:CreateLogGroup", added);
            Assert.Empty(doc.RootElement.GetProperty("removed").EnumerateArray());
        }

        Assert.Equal(2, (await Cli.CliRunner.Run("policy", Sample("fargate-svc"), "--store", _store)).Exit); // no source of permissions
    }

    [Fact]
    public async Task Platform_RefusesADeploymentTheRoleCannotDo_BeforeWritingAnything()
    {
        var store = new Proton.Sdk.Storage.InMemoryProtonStore();
        var provisioner = new Platform.ScriptedProvisioner();
        var narrow = """{"Statement":[{"Effect":"Allow","Action":["cloudformation:*","ec2:DescribeVpcs"],"Resource":"*"}]}""";
        var platform = new Proton.Sdk.Platform.ProtonPlatform(store, provisioner, new Proton.Sdk.Platform.ProtonPlatformOptions { PermissionCheck = new Proton.Sdk.Platform.PermissionCheck(narrow, new TableSource()) });
        await platform.Registry.CreateTemplateAsync("env", Proton.Sdk.Templates.TemplateKind.Environment);
        await Platform.PlatformKit.RegisterAsync(platform, "env", Platform.PlatformKit.Env(), "1.0.0");

        var ex = await Assert.ThrowsAsync<Proton.Sdk.Platform.PlatformException>(() => platform.CreateEnvironmentAsync(new Proton.Sdk.Platform.CreateEnvironmentRequest { Name = "dev", TemplateName = "env" }));

        Assert.Equal("platform.missing-permissions", ex.ErrorCode);
        Assert.Contains("ec2:CreateVpc", ex.Message, StringComparison.Ordinal);
        Assert.Empty(provisioner.Requests);
        Assert.Empty(await platform.ListDeploymentsAsync());
        Assert.Null(await platform.GetEnvironmentAsync("dev"));
    }
}
