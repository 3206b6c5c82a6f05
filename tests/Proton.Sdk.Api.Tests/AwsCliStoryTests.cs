using System.Text.Json.Nodes;

namespace Proton.Sdk.Api.Tests;

/// <summary>
/// The story with clients nobody here wrote: the <c>aws</c> CLI 1.x and boto3 against samples/ProtonApiHost run as
/// a process, with template bundles uploaded to the S3 endpoint (moto) and read by the host as Proton did.
/// </summary>
public sealed class AwsCliStoryTests
{
    private static string S(JsonNode? n) => n!.GetValue<string>();

    [SkippableFact]
    public async Task AwsCli_EnvironmentAndServiceStory()
    {
        var endpoint = SampleHostProcess.RequireEndpoint();
        await using var host = await SampleHostProcess.StartAsync(endpoint);
        var env = await host.UploadBundleAsync(Path.Combine("vpc-ecs-env", "v1"), "vpc-env-v1.tar.gz");
        var svc = await host.UploadBundleAsync(Path.Combine("fargate-svc", "v1"), "fargate-v1.tar.gz");

        await host.ProtonOkAsync("create-environment-template", "--name", "vpc-env", "--display-name", "VPC");
        var version = (await host.ProtonOkAsync("create-environment-template-version", "--template-name", "vpc-env", "--source", $"s3={{bucket={env.Bucket},key={env.Key}}}"))["environmentTemplateVersion"]!;
        Assert.Equal(("1", "0", "DRAFT"), (S(version["majorVersion"]), S(version["minorVersion"]), S(version["status"])));
        var published = await host.ProtonOkAsync("update-environment-template-version", "--template-name", "vpc-env", "--major-version", "1", "--minor-version", "0", "--status", "PUBLISHED");
        Assert.Equal("PUBLISHED", S(published["environmentTemplateVersion"]!["status"]));

        var specFile = Path.Combine(ApiHost.Samples, "specs", "env-spec.yaml");
        var created = await host.ProtonOkAsync("create-environment", "--name", "dev", "--template-name", "vpc-env", "--template-major-version", "1", "--spec", "file://" + specFile);
        Assert.Contains(S(created["environment"]!["deploymentStatus"]), new[] { "IN_PROGRESS", "SUCCEEDED" });
        JsonNode? environment = null;
        for (var i = 0; i < 30; i++)
        {
            environment = (await host.ProtonOkAsync("get-environment", "--name", "dev"))["environment"];
            if (S(environment!["deploymentStatus"]) != "IN_PROGRESS")
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal("SUCCEEDED", S(environment!["deploymentStatus"]));
        var envOutputs = (await host.ProtonOkAsync("list-environment-outputs", "--environment-name", "dev"))["outputs"]!.AsArray();
        Assert.Contains(envOutputs, o => S(o!["key"]) == "VpcId");

        await host.ProtonOkAsync("create-service-template", "--name", "fargate");
        await host.ProtonOkAsync("create-service-template-version", "--template-name", "fargate", "--source", $"s3={{bucket={svc.Bucket},key={svc.Key}}}", "--compatible-environment-templates", "templateName=vpc-env,majorVersion=1");
        await host.ProtonOkAsync("update-service-template-version", "--template-name", "fargate", "--major-version", "1", "--minor-version", "0", "--status", "PUBLISHED");
        var service = await host.ProtonOkAsync("create-service", "--name", "web", "--template-name", "fargate", "--template-major-version", "1", "--spec", "file://" + Path.Combine(ApiHost.Samples, "specs", "svc-spec.yaml"));
        Assert.Contains(S(service["service"]!["status"]), new[] { "CREATE_IN_PROGRESS", "ACTIVE" });
        for (var i = 0; i < 30 && S((await host.ProtonOkAsync("get-service", "--name", "web"))["service"]!["status"]) == "CREATE_IN_PROGRESS"; i++)
        {
            await Task.Delay(200);
        }

        Assert.Equal("ACTIVE", S((await host.ProtonOkAsync("get-service", "--name", "web"))["service"]!["status"]));
        var instances = (await host.ProtonOkAsync("list-service-instances", "--service-name", "web"))["serviceInstances"]!.AsArray();
        Assert.Equal(["web-dev", "web-staging"], instances.Select(i => S(i!["name"])).Order());
        var outputs = (await host.ProtonOkAsync("list-service-instance-outputs", "--service-name", "web", "--service-instance-name", "web-dev"))["outputs"]!.AsArray();
        Assert.Contains(outputs, o => S(o!["key"]) == "TaskFamily" && S(o["valueString"]) == "web-web-dev");

        var counts = (await host.ProtonOkAsync("get-resources-summary"))["counts"]!;
        Assert.Equal(1, counts["environments"]!["total"]!.GetValue<int>());
        Assert.Equal(2, counts["serviceInstances"]!["total"]!.GetValue<int>());
        Assert.Equal(1, counts["pipelines"]!["upToDate"]!.GetValue<int>());

        var deployments = (await host.ProtonOkAsync("list-deployments", "--environment-name", "dev"))["deployments"]!.AsArray();
        Assert.Contains(deployments, d => S(d!["targetResourceType"]) == "ENVIRONMENT" && S(d["deploymentStatus"]) == "SUCCEEDED");

        // The local provisioner finished the deployment itself, so a notification for it is refused with Proton's error.
        var notify = await host.ProtonAsync(["notify-resource-deployment-status-change", "--resource-arn", S(environment["arn"]), "--status", "SUCCEEDED"]);
        Assert.NotEqual(0, notify.Exit);
        Assert.Contains("ConflictException", notify.Err, StringComparison.Ordinal);

        // The endpoint from AWS_ENDPOINT_URL_PROTON instead of --endpoint-url.
        var fromEnv = await host.ProtonAsync(["get-environment", "--name", "dev"], endpointFromEnvironment: true);
        SampleHostProcess.Ok(fromEnv, "get-environment with AWS_ENDPOINT_URL_PROTON");
        Assert.Contains("\"SUCCEEDED\"", fromEnv.Out, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AwsCli_BadInputAndBadSignature_ProtonErrors()
    {
        var endpoint = SampleHostProcess.RequireEndpoint();
        await using var host = await SampleHostProcess.StartAsync(endpoint);

        var missing = await host.ProtonAsync(["get-environment", "--name", "ghost"]);
        Assert.NotEqual(0, missing.Exit);
        Assert.Contains("ResourceNotFoundException", missing.Err, StringComparison.Ordinal);

        await host.ProtonOkAsync("create-environment-template", "--name", "vpc-env");
        var noBundle = await host.ProtonAsync(["create-environment-template-version", "--template-name", "vpc-env", "--source", "s3={bucket=no-such-bucket-here,key=nothing.tar.gz}"]);
        Assert.NotEqual(0, noBundle.Exit);
        Assert.Contains("ValidationException", noBundle.Err, StringComparison.Ordinal);

        var badSpec = await host.ProtonAsync(["create-environment", "--name", "dev", "--template-name", "vpc-env", "--template-major-version", "1", "--spec", "proton: [broken"]);
        Assert.NotEqual(0, badSpec.Exit);
        Assert.Contains("ValidationException", badSpec.Err, StringComparison.Ordinal);

        var badType = await host.ProtonAsync(["update-environment", "--name", "dev", "--deployment-type", "SIDEWAYS"]);
        Assert.NotEqual(0, badType.Exit);

        var notServed = await host.ProtonAsync(["list-components"]);
        Assert.Contains("ValidationException", notServed.Err, StringComparison.Ordinal);
        Assert.Contains("ListComponents", notServed.Err, StringComparison.Ordinal);

        var wrongSecret = await host.ProtonAsync(["list-environment-templates"], secret: "not-the-secret");
        Assert.NotEqual(0, wrongSecret.Exit);
        Assert.Contains("InvalidSignatureException", wrongSecret.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(SampleHostProcess.Secret, wrongSecret.Err, StringComparison.Ordinal);
        Assert.Single((await host.ProtonOkAsync("list-environment-templates"))["templates"]!.AsArray());
    }

    [SkippableFact]
    public async Task Boto3_PaginatorAndErrorCodes()
    {
        var endpoint = SampleHostProcess.RequireEndpoint();
        await using var host = await SampleHostProcess.StartAsync(endpoint);
        var script = """
import sys, boto3, botocore.exceptions
url = sys.argv[1]
proton = boto3.client('proton', endpoint_url=url, region_name='us-east-1')
for i in range(5):
    proton.create_environment_template(name=f'tpl{i}')
pages = list(proton.get_paginator('list_environment_templates').paginate(PaginationConfig={'PageSize': 2}))
print('pages', len(pages), 'names', ','.join(t['name'] for p in pages for t in p['templates']))
try:
    proton.get_environment(name='ghost')
except botocore.exceptions.ClientError as e:
    print('error', e.response['Error']['Code'], type(e).__name__, isinstance(e, proton.exceptions.ResourceNotFoundException))
try:
    proton.create_environment_template(name='tpl0')
except proton.exceptions.ConflictException as e:
    print('conflict', e.response['Error']['Code'])
""";
        var r = await SampleHostProcess.RunAsync("python3", ["-c", script, host.Url], new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = SampleHostProcess.AccessKeyId, ["AWS_SECRET_ACCESS_KEY"] = SampleHostProcess.Secret });
        SampleHostProcess.Ok(r, "boto3 script");
        Assert.Contains("pages 3 names tpl0,tpl1,tpl2,tpl3,tpl4", r.Out, StringComparison.Ordinal);
        Assert.Contains("error ResourceNotFoundException ResourceNotFoundException True", r.Out, StringComparison.Ordinal);
        Assert.Contains("conflict ConflictException", r.Out, StringComparison.Ordinal);
    }
}
