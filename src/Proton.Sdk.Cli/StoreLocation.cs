using System.Text.RegularExpressions;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Cli;

/// <summary>
/// Where <c>--store</c> points: a folder, <c>s3://bucket/prefix</c>, or <c>dynamodb://table?blobs=s3://bucket/prefix</c>
/// (records in the table, bundle content in the bucket). Other schemes are refused.
/// </summary>
internal sealed partial class StoreLocation
{
    /// <summary>What <c>--store</c> takes, for messages.</summary>
    public const string Forms = "a folder, s3://bucket/prefix or dynamodb://table?blobs=s3://bucket/prefix";

    private StoreLocation(string text, string? bucket, string? prefix, string? table = null)
    {
        Text = text;
        Bucket = bucket;
        Prefix = prefix;
        Table = table;
    }

    /// <summary>The DynamoDB table, or null for a folder or S3 store.</summary>
    public string? Table { get; }

    /// <summary>True for a DynamoDB store (its <see cref="Bucket"/> and <see cref="Prefix"/> are for blobs).</summary>
    public bool IsDynamoDb => Table is not null;

    /// <summary>True for a folder store.</summary>
    public bool IsFolder => Bucket is null;

    /// <summary>The option's text.</summary>
    public string Text { get; }

    /// <summary>The S3 bucket (of a DynamoDB store: for blobs), or null for a folder store.</summary>
    public string? Bucket { get; }

    /// <summary>The S3 key prefix (ending in '/'), or null for a folder store.</summary>
    public string? Prefix { get; }

    /// <summary>True for an S3 store.</summary>
    public bool IsS3 => Bucket is not null && Table is null;

    /// <summary>Where the local provisioner writes stacks by default: under a folder store, else <c>.proton/stacks</c>.</summary>
    public string DefaultStacksFolder => IsFolder ? Path.Combine(Text, "stacks") : Path.Combine(".proton", "stacks");

    /// <summary>Parses the option; returns null with an error message when the text is not a store location.</summary>
    public static StoreLocation? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"--store takes {Forms}, not an empty value";
            return null;
        }

        if (text.StartsWith("s3://", StringComparison.Ordinal))
        {
            return ParseS3(text, out var bucket, out var prefix, out error) ? new StoreLocation(text, bucket, prefix) : null;
        }

        if (text.StartsWith("dynamodb://", StringComparison.Ordinal))
        {
            return ParseDynamoDb(text, out error);
        }

        if (Scheme().Match(text) is { Success: true } m)
        {
            error = $"--store takes {Forms}; the scheme '{m.Value}' is not supported";
            return null;
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            error = "--store: the folder name holds a NUL character";
            return null;
        }

        return new StoreLocation(text, null, null);
    }

    private static bool ParseS3(string text, out string bucket, out string prefix, out string? error)
    {
        var rest = text["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        bucket = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
        prefix = path.Length == 0 ? "proton/" : path + "/";
        error = BucketName().IsMatch(bucket) ? null : $"--store: '{CliOptions.Shorten(bucket)}' is not an S3 bucket name (s3://bucket/prefix)";
        return error is null;
    }

    /// <summary><c>dynamodb://table?blobs=s3://bucket/prefix</c>: the blob bucket is required (bundles exceed DynamoDB's item size).</summary>
    private static StoreLocation? ParseDynamoDb(string text, out string? error)
    {
        const string Usage = "dynamodb://table?blobs=s3://bucket/prefix";
        var rest = text["dynamodb://".Length..];
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var table = question < 0 ? rest : rest[..question];
        if (!TableName().IsMatch(table))
        {
            error = $"--store: '{CliOptions.Shorten(table)}' is not a DynamoDB table name (3 to 255 of a-z, A-Z, 0-9, '_', '-', '.'; {Usage})";
            return null;
        }

        var query = question < 0 ? string.Empty : rest[(question + 1)..];
        string? blobs = null;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = eq < 0 ? (pair, string.Empty) : (pair[..eq], Uri.UnescapeDataString(pair[(eq + 1)..]));
            if (name != "blobs" || blobs is not null)
            {
                error = $"--store: '{CliOptions.Shorten(pair)}' is not a DynamoDB store setting; the one setting is blobs=s3://bucket/prefix, once ({Usage})";
                return null;
            }

            blobs = value;
        }

        if (blobs is null || !blobs.StartsWith("s3://", StringComparison.Ordinal))
        {
            error = $"--store: a DynamoDB store keeps bundle content in S3 and needs its bucket: {Usage}";
            return null;
        }

        if (!ParseS3(blobs, out var bucket, out var prefix, out error))
        {
            return null;
        }

        return new StoreLocation(text, bucket, prefix, table);
    }

    /// <summary>
    /// Opens the store. A folder store must exist unless <paramref name="create"/> is set (only commands that start a
    /// registry create one); read-only commands never create anything.
    /// </summary>
    public IProtonStore Open(bool create, AwsSettings aws)
    {
        if (IsDynamoDb)
        {
            // A missing table is an error of the first read or write (the store never creates one on open); 'proton store init' creates it.
            return OpenDynamoDb(aws);
        }

        if (IsS3)
        {
            return new Aws.Storage.S3ProtonStore(aws.S3(Bucket!, Prefix!), aws.Connection());
        }

        if (File.Exists(Text))
        {
            throw new CliException($"{Text}: error cli.store: a file, not a store folder");
        }

        if (!create && !Directory.Exists(Path.Combine(Text, "records")))
        {
            throw new CliException(Directory.Exists(Text)
                ? $"{Text}: error cli.no-store: this folder is not a proton store (it has no records/ folder)"
                : $"{Text}: error cli.no-store: no store here; 'proton template create' starts one, or give --store");
        }

        return new FileSystemProtonStore(Text);
    }

    /// <summary>Opens a DynamoDB store (its own method, so that folder commands do not load its types).</summary>
    public Aws.Storage.DynamoDbProtonStore OpenDynamoDb(AwsSettings aws)
        => new(new Aws.Storage.DynamoDbStoreOptions { TableName = Table!, BucketName = Bucket!, Prefix = Prefix! }, aws.Connection());

    [GeneratedRegex("^[A-Za-z0-9_.-]{3,255}$")]
    private static partial Regex TableName();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    // Two letters or more before the colon, so that Windows drive letters (C:\) still read as folders.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]+:")]
    private static partial Regex Scheme();
}
