using System.Text.Json.Nodes;

namespace Proton.Sdk.Api.Tests;

/// <summary>
/// The issue's story with clients nobody here wrote: the <c>aws</c> CLI 1.x and boto3 against samples/ProtonApiHost run as
/// a process, with template bundles uploaded to the S3 endpoint (moto) and read by the host as Proton did.
/// </summary>
public sealed class AwsCliStoryTests
{
    private static string S(JsonNode? n) => n!.GetValue<string>();

    [SkippableFact]
    public async Task AwsCli_StoryWithCloudFormationOnMoto()
    {
        var endpoint = SampleHostProcess.RequireEndpoint();
        await using var host = await SampleHostProcess.StartAsync(endpoint, "--Proton:Provisioner=cloudformation", $"--Proton:Platform:StackNamePrefix=api{Guid.NewGuid().ToString("N")[..6]}");
        var envBundle = Path.Combine(SampleHostProcess.Corpus, "bundles", "aws-samples+aws-proton-cloudformation-sample-templates", "lambda-multi-svc", "lambda-env", "v1");
        var env = await host.UploadBundleAsync(envBundle, "lambda-env-v1.tar.gz");
        var svc = await host.UploadBundleAsync(Path.Combine(ApiHost.RepoRoot, "tests", "Proton.Sdk.Api.Tests", "Bundles", "queue-svc", "v1"), "queue-svc-v1.tar.gz");

        await host.ProtonOkAsync("create-environment-template", "--name", "lambda-env");
        await host.ProtonOkAsync("create-environment-template-version", "--template-name", "lambda-env", "--source", $"s3={{bucket={env.Bucket},key={env.Key}}}");
        await host.ProtonOkAsync("update-environment-template-version", "--template-name", "lambda-env", "--major-version", "1", "--minor-version", "0", "--status", "PUBLISHED");
        var created = await host.ProtonOkAsync("create-environment", "--name", "beta", "--template-name", "lambda-env", "--template-major-version", "1", "--spec", "proton: EnvironmentSpec\nspec:\n  ttl_attribute: ttl\n");
        Assert.Contains(S(created["environment"]!["deploymentStatus"]), new[] { "IN_PROGRESS", "SUCCEEDED" });
        JsonNode? environment = null;
        for (var i = 0; i < 50; i++)
        {
            environment = (await host.ProtonOkAsync("get-environment", "--name", "beta"))["environment"];
            if (S(environment!["deploymentStatus"]) != "IN_PROGRESS")
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.True(S(environment!["deploymentStatus"]) == "SUCCEEDED", environment.ToJsonString());
        var envOutputs = (await host.ProtonOkAsync("list-environment-outputs", "--environment-name", "beta"))["outputs"]!.AsArray();
        var table = S(envOutputs.Single(o => S(o!["key"]) == "TableName")!["valueString"]);

        // An independent look at what the host left in moto: the environment's stack and its outputs.
        var stacks = await SampleHostProcess.RunAsync("aws", ["cloudformation", "describe-stacks", "--endpoint-url", endpoint, "--output", "json"], new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test" });
        SampleHostProcess.Ok(stacks, "describe-stacks");
        Assert.Contains(JsonNode.Parse(stacks.Out)!["Stacks"]!.AsArray(), s => s!["Outputs"] is JsonArray outs && outs.Any(o => S(o!["OutputKey"]) == "TableName" && S(o["OutputValue"]) == table));

        await host.ProtonOkAsync("create-service-template", "--name", "queue-svc");
        await host.ProtonOkAsync("create-service-template-version", "--template-name", "queue-svc", "--source", $"s3={{bucket={svc.Bucket},key={svc.Key}}}", "--compatible-environment-templates", "templateName=lambda-env,majorVersion=1");
        await host.ProtonOkAsync("update-service-template-version", "--template-name", "queue-svc", "--major-version", "1", "--minor-version", "0", "--status", "PUBLISHED");
        await host.ProtonOkAsync("create-service", "--name", "orders", "--template-name", "queue-svc", "--template-major-version", "1", "--spec", "file://" + Path.Combine(ApiHost.RepoRoot, "tests", "Proton.Sdk.Api.Tests", "Bundles", "svc-spec.yaml"));
        JsonNode? service = null;
        for (var i = 0; i < 50; i++)
        {
            service = (await host.ProtonOkAsync("get-service", "--name", "orders"))["service"];
            if (S(service!["status"]) != "CREATE_IN_PROGRESS")
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.True(S(service!["status"]) == "ACTIVE", service.ToJsonString());
        var outputs = (await host.ProtonOkAsync("list-service-instance-outputs", "--service-name", "orders", "--service-instance-name", "one"))["outputs"]!.AsArray();
        Assert.Equal(table, S(outputs.Single(o => S(o!["key"]) == "TableName")!["valueString"]));
        Assert.Equal("hi", S(outputs.Single(o => S(o!["key"]) == "Greeting")!["valueString"]));
        Assert.Contains("queue", S(outputs.Single(o => S(o!["key"]) == "QueueUrl")!["valueString"]), StringComparison.OrdinalIgnoreCase);
        var pipeline = (await host.ProtonOkAsync("list-service-pipeline-outputs", "--service-name", "orders"))["outputs"]!.AsArray();
        Assert.Equal("ci", S(pipeline.Single(o => S(o!["key"]) == "Stage")!["valueString"]));
        var counts = (await host.ProtonOkAsync("get-resources-summary"))["counts"]!;
        Assert.Equal(2, counts["serviceInstances"]!["upToDate"]!.GetValue<int>());
        Assert.Equal(1, counts["environments"]!["total"]!.GetValue<int>());

        var deployments = (await host.ProtonOkAsync("list-deployments", "--service-name", "orders"))["deployments"]!.AsArray();
        Assert.Equal(3, deployments.Count(d => S(d!["deploymentStatus"]) == "SUCCEEDED"));

        // CloudFormation finished the deployment itself, so a notification for it is refused with Proton's error.
        var notify = await host.ProtonAsync(["notify-resource-deployment-status-change", "--resource-arn", S(environment["arn"]), "--status", "SUCCEEDED"]);
        Assert.NotEqual(0, notify.Exit);
        Assert.Contains("ConflictException", notify.Err, StringComparison.Ordinal);

        // The endpoint from AWS_ENDPOINT_URL_PROTON instead of --endpoint-url.
        var fromEnv = await host.ProtonAsync(["get-service-instance", "--service-name", "orders", "--name", "two"], endpointFromEnvironment: true);
        SampleHostProcess.Ok(fromEnv, "get-service-instance with AWS_ENDPOINT_URL_PROTON");
        Assert.Contains("\"SUCCEEDED\"", fromEnv.Out, StringComparison.Ordinal);
    }
}
