using System.Text.RegularExpressions;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Cli;

/// <summary>A bundle argument: a folder, a <c>.tar.gz</c> file, or <c>s3://bucket/key.tar.gz</c>.</summary>
internal static partial class BundleLocation
{
    /// <summary>True when the text names an S3 object.</summary>
    public static bool IsS3(string text) => text.StartsWith("s3://", StringComparison.Ordinal);

    /// <summary>An error for a scheme other than s3://, or null.</summary>
    public static string? CheckScheme(string text)
        => !IsS3(text) && Scheme().Match(text) is { Success: true } m ? $"'{text}': bundles are folders, .tar.gz files or s3://bucket/key.tar.gz; the scheme '{m.Value}' is not supported" : null;

    /// <summary>True when something is there to read (an S3 URI is assumed to be).</summary>
    public static bool Exists(string text) => IsS3(text) || Directory.Exists(text) || File.Exists(text);

    /// <summary>The source for the argument; throws <see cref="CliException"/> when nothing readable is there.</summary>
    public static ITemplateBundleSource Open(string text, AwsSettings aws)
    {
        if (CheckScheme(text) is { } error)
        {
            throw new UsageException(error);
        }

        if (IsS3(text))
        {
            try
            {
                Aws.Storage.S3BundleSource.Parse(text);
            }
            catch (ArgumentException)
            {
                throw new UsageException($"'{text}' is not an s3://bucket/key.tar.gz URI");
            }

            return new Aws.Storage.S3BundleSource(text, aws.Connection());
        }

        if (Directory.Exists(text))
        {
            return new DirectoryBundleSource(text);
        }

        if (!File.Exists(text))
        {
            throw new CliException($"{text}: error bundle.not-found: no folder or archive there");
        }

        if (!InputFiles.IsRegularFile(text))
        {
            throw new CliException($"{text}: error bundle.not-a-file: not a folder or a regular .tar.gz file (a device, FIFO or socket)");
        }

        return new TarGzBundleSource(text);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]+:")]
    private static partial Regex Scheme();
}
