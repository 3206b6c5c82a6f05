using System.Text.Json.Nodes;

namespace Proton.Sdk.Api.Tests;

/// <summary>Errors and pagination as real clients see them: the <c>aws</c> CLI and boto3 against samples/ProtonApiHost (its defaults: file store, local provisioner).</summary>
public sealed class RealClientTests
{
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
