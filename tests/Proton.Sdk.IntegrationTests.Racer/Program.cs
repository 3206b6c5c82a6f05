// Usage: Racer <endpoint> <bucket> <environment> <go-file>
//    or: Racer file-counter <store-folder> <key> <times> <go-file> (increments counters/<key> in a folder store <times>
//        times, read-modify-write with retries on conflict, once <go-file> exists; prints "done <conflicts>")
// Opens the S3 store and the CloudFormation provisioner, writes <go-file>.ready.<pid>, waits until <go-file> exists, then updates the
// environment with an input of its own. Prints "deployment <id> <status> <ttl>" (exit 0) or "error <code>" (exit 3).
//
// Usage: Racer file <store-folder> <stacks-folder> <environment> <go-file>
// The same over the file-system store, with a local provisioner whose deployments never finish: the winner prints
// "deploying <id>" and holds the target (its lease) until it is killed; the loser prints "error <code> <message>" (exit 3).
using Proton.Sdk;
using Proton.Sdk.Aws;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;

if (args is ["file", var storeFolder, var stacksFolder, var fileEnvironment, var fileGo])
{
    var fileStore = new FileSystemProtonStore(storeFolder);
    var holding = new HoldingProvisioner(new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = stacksFolder }));
    var filePlatform = new ProtonPlatform(fileStore, holding, new ProtonPlatformOptions { DefaultAccountId = "123456789012" });
    _ = await filePlatform.GetEnvironmentAsync(fileEnvironment) ?? throw new InvalidOperationException($"no environment {fileEnvironment}");
    await filePlatform.ListDeploymentsAsync(fileEnvironment);
    if (await WaitForGoAsync(fileGo) is { } notGo)
    {
        return notGo;
    }

    try
    {
        var deployment = await filePlatform.UpdateEnvironmentAsync(fileEnvironment, new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion, Inputs = new Dictionary<string, object?> { ["ttl_attribute"] = "ttl-" + Environment.ProcessId } });
        Console.WriteLine($"deployment {deployment!.Id} {deployment.Status}");
        return 0;
    }
    catch (ProtonException ex)
    {
        Console.WriteLine($"error {ex.ErrorCode} {ex.Message}");
        return 3;
    }
}

if (args is ["file-counter", var root, var counterKey, var times, var start])
{
    return await FileCounter.RunAsync(root, counterKey, int.Parse(times, System.Globalization.CultureInfo.InvariantCulture), start);
}

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Racer <endpoint> <bucket> <environment> <go-file> | Racer file <store-folder> <stacks-folder> <environment> <go-file>");
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

if (await WaitForGoAsync(go) is { } noGo)
{
    return noGo;
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

// Writes <go>.ready.<pid>, then waits until <go> exists: null, or the exit code 4 after a minute.
static async Task<int?> WaitForGoAsync(string go)
{
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

    return null;
}

/// <summary>Starts a deployment and never finishes it: prints "deploying &lt;id&gt;" and waits until the process is killed or cancelled.</summary>
internal sealed class HoldingProvisioner(LocalProvisioner inner) : IProvisioner
{
    public string Name => inner.Name;

    public async Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        Console.WriteLine($"deploying {request.DeploymentId}");
        Console.Out.Flush();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return new ProvisionResult { Status = ProvisionStatus.Failed, Message = "unreachable" };
    }

    public Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
        => inner.DestroyAsync(stackName, progress, cancellationToken);

    public Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default)
        => inner.DescribeAsync(stackName, cancellationToken);

    public Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default)
        => inner.PlanAsync(request, cancellationToken);
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

/// <summary>Increments a counter record in a folder store, as one of several processes at once.</summary>
internal static class FileCounter
{
    public static async Task<int> RunAsync(string root, string key, int times, string go)
    {
        var store = new Proton.Sdk.Storage.FileSystemProtonStore(root);
        await File.WriteAllTextAsync($"{go}.ready.{Environment.ProcessId}", "ready");
        while (!File.Exists(go))
        {
            await Task.Delay(5);
        }

        var conflicts = 0;
        for (var i = 0; i < times; i++)
        {
            while (true)
            {
                var r = (await store.GetAsync("counters", key))!;
                var n = System.Text.Json.JsonDocument.Parse(r.Document).RootElement.GetProperty("n").GetInt32();
                try
                {
                    await store.PutAsync("counters", key, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { n = n + 1 }), r.Revision);
                    break;
                }
                catch (Proton.Sdk.Storage.StoreConflictException)
                {
                    conflicts++;
                }
            }
        }

        Console.WriteLine($"done {conflicts}");
        return 0;
    }
}
