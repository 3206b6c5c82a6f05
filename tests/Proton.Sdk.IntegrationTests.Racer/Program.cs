// Usage: Racer <endpoint> <bucket> <environment> <go-file>
// Opens the S3 store and the CloudFormation provisioner, writes <go-file>.ready.<pid>, waits until <go-file> exists, then updates the
// environment with an input of its own. Prints "deployment <id> <status> <ttl>" (exit 0) or "error <code>" (exit 3).
using Proton.Sdk;
using Proton.Sdk.Aws;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Platform;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Racer <endpoint> <bucket> <environment> <go-file>");
    return 2;
}

var (endpoint, bucket, environment, go) = (args[0], args[1], args[2], args[3]);
var connection = new AwsConnectionOptions { ServiceUrl = endpoint, Region = "us-east-1", ForcePathStyle = true };
using var store = new S3ProtonStore(new S3StoreOptions { BucketName = bucket }, connection);

// moto finishes a stack at once; on AWS an update takes minutes. A slow CreateChangeSet (3 s) stands for that, so that
// two deployments started together truly overlap.
using var slow = new SlowChangeSets();
using var provisioner = new CloudFormationProvisioner(new CloudFormationProvisionerOptions(), connection, slow);
var platform = new ProtonPlatform(store, provisioner, new ProtonPlatformOptions { DefaultAccountId = "123456789012" });
var ttl = "ttl-" + Environment.ProcessId;

// Warm up (connections, JIT) so that both processes reach the store at the same moment after the signal.
var current = await platform.GetEnvironmentAsync(environment) ?? throw new InvalidOperationException($"no environment {environment}");
await provisioner.DescribeAsync(current.StackName!);
await platform.ListDeploymentsAsync(environment);

await File.WriteAllTextAsync($"{go}.ready.{Environment.ProcessId}", "ready");
var deadline = DateTime.UtcNow.AddMinutes(1);
while (!File.Exists(go))
{
    if (DateTime.UtcNow > deadline)
    {
        Console.WriteLine("error no-go");
        return 4;
    }

    await Task.Delay(5);
}

try
{
    var deployment = await platform.UpdateEnvironmentAsync(environment, new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion, Inputs = new Dictionary<string, object?> { ["ttl_attribute"] = ttl } });
    Console.WriteLine($"deployment {deployment!.Id} {deployment.Status} {ttl}");
    return 0;
}
catch (ProtonException ex)
{
    Console.WriteLine($"error {ex.ErrorCode} {ex.Message}");
    return 3;
}

/// <summary>Delays CreateChangeSet calls by 3 s before passing them on.</summary>
internal sealed class SlowChangeSets() : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        if (body.StartsWith("Action=CreateChangeSet&", StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
