using System.CommandLine;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Cli.Commands;

/// <summary><c>proton store init</c> and <c>proton store repair-index</c>: the store itself.</summary>
internal static class StoreCommand
{
    public static Command Build(CliOptions o, ActionBinder bind)
    {
        var command = new Command("store", "Create a store, repair its index");
        command.Subcommands.Add(Init(o, bind));
        command.Subcommands.Add(RepairIndex(o, bind));
        return command;
    }

    private static Command Init(CliOptions o, ActionBinder bind)
    {
        var init = new Command("init", "Create the store: a folder, or a DynamoDB table (on-demand, keys pk and sk); an S3 bucket is checked, never created");
        o.AddStore(init);
        init.Options.Add(o.Output);
        bind(init, async s =>
        {
            var location = s.StoreLocation;
            var created = location.IsDynamoDb ? await InitDynamoDbAsync(s, location).ConfigureAwait(false)
                : location.IsS3 ? await CheckS3Async(s, location).ConfigureAwait(false)
                : InitFolder(location);
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(new { store = location.Text, created }).ConfigureAwait(false);
            }
            else
            {
                await s.Console.LineAsync(created ? $"created the store {location.Text}" : $"the store {location.Text} is ready (it was there)").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return init;
    }

    private static Command RepairIndex(CliOptions o, ActionBinder bind)
    {
        var repair = new Command("repair-index", "Rebuild the template index (what summary and upgrade read) from the records, after a process stopped mid-write; reads the whole fleet");
        o.AddStore(repair);
        bind(repair, async s =>
        {
            await s.OpenPlatform().RepairIndexAsync(s.CancellationToken).ConfigureAwait(false);
            await s.Console.LineAsync($"the template index of {s.StoreLocation.Text} matches its records").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return repair;
    }

    private static bool InitFolder(StoreLocation location)
    {
        if (File.Exists(location.Text))
        {
            throw new CliException($"{location.Text}: error cli.store: a file, not a store folder");
        }

        var existed = Directory.Exists(Path.Combine(location.Text, "records"));
        _ = new FileSystemProtonStore(location.Text);
        return !existed;
    }

    private static async Task<bool> CheckS3Async(CliSession s, StoreLocation location)
    {
        using var store = (Aws.Storage.S3ProtonStore)location.Open(create: false, s.Aws);
        if (!await store.BucketExistsAsync(s.CancellationToken).ConfigureAwait(false))
        {
            throw new CliException($"{location.Text}: error cli.no-bucket: there is no bucket {location.Bucket}; create it with its owner's policies (aws s3 mb s3://{location.Bucket}), then run this again");
        }

        return false;
    }

    private static async Task<bool> InitDynamoDbAsync(CliSession s, StoreLocation location)
    {
        using var store = location.OpenDynamoDb(s.Aws);
        if (!await store.BlobBucketExistsAsync(s.CancellationToken).ConfigureAwait(false))
        {
            throw new CliException($"{location.Text}: error cli.no-bucket: there is no bucket {location.Bucket} for the store's bundle content; create it (aws s3 mb s3://{location.Bucket}), then run this again");
        }

        try
        {
            return await store.EnsureTableAsync(s.CancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException($"{location.Text}: error cli.store: {ex.Message}");
        }
    }
}
