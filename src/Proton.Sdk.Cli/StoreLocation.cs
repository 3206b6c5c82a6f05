using System.Text.RegularExpressions;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Cli;

/// <summary>Where <c>--store</c> points: a folder, or <c>s3://bucket/prefix</c>. Other schemes are refused.</summary>
internal sealed partial class StoreLocation
{
    private StoreLocation(string text, string? bucket, string? prefix)
    {
        Text = text;
        Bucket = bucket;
        Prefix = prefix;
    }

    /// <summary>The option's text.</summary>
    public string Text { get; }

    /// <summary>The S3 bucket, or null for a folder store.</summary>
    public string? Bucket { get; }

    /// <summary>The S3 key prefix (ending in '/'), or null for a folder store.</summary>
    public string? Prefix { get; }

    /// <summary>True for an S3 store.</summary>
    public bool IsS3 => Bucket is not null;

    /// <summary>Where the local provisioner writes stacks by default: under a folder store, else <c>.proton/stacks</c>.</summary>
    public string DefaultStacksFolder => IsS3 ? Path.Combine(".proton", "stacks") : Path.Combine(Text, "stacks");

    /// <summary>Parses the option; returns null with an error message when the text is not a store location.</summary>
    public static StoreLocation? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "--store takes a folder or s3://bucket/prefix, not an empty value";
            return null;
        }

        if (text.StartsWith("s3://", StringComparison.Ordinal))
        {
            var rest = text[5..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var bucket = slash < 0 ? rest : rest[..slash];
            var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
            if (!BucketName().IsMatch(bucket))
            {
                error = $"--store: '{bucket}' is not an S3 bucket name (s3://bucket/prefix)";
                return null;
            }

            return new StoreLocation(text, bucket, prefix.Length == 0 ? "proton/" : prefix + "/");
        }

        if (Scheme().Match(text) is { Success: true } m)
        {
            error = $"--store takes a folder or s3://bucket/prefix; the scheme '{m.Value}' is not supported";
            return null;
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            error = "--store: the folder name holds a NUL character";
            return null;
        }

        return new StoreLocation(text, null, null);
    }

    /// <summary>
    /// Opens the store. A folder store must exist unless <paramref name="create"/> is set (only commands that start a
    /// registry create one); read-only commands never create anything.
    /// </summary>
    public IProtonStore Open(bool create, AwsSettings aws)
    {
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

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    // Two letters or more before the colon, so that Windows drive letters (C:\) still read as folders.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]+:")]
    private static partial Regex Scheme();
}
