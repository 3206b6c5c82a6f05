using System.CommandLine;
using System.CommandLine.Parsing;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Cli;

/// <summary>The options and argument kinds that several commands share, with the checks that make a bad value a usage error.</summary>
internal sealed class CliOptions
{
    public Option<string> Output { get; } = Choice("--output", "text", "Output format: text (tables on a terminal) or json (a stable, documented shape)", "text", "json");

    public Option<string> Store { get; } = StoreOption();

    public Option<string> Provisioner { get; } = Choice("--provisioner", "local", "Who deploys stacks: local (writes them under --stacks) or cloudformation", "local", "cloudformation");

    public Option<string?> Stacks { get; } = new("--stacks") { Description = "Folder for the local provisioner's stacks [default: <store>/stacks]", HelpName = "dir" };

    public Option<string?> TerraformRepository { get; } = new("--terraform-repository") { Description = "Terraform bundles: write their files into this git working tree (a folder per resource) and wait for `proton deployments notify`, as Proton's pull requests did, instead of running terraform", HelpName = "dir" };

    public Option<string?> AccountId { get; } = new("--account-id") { Description = "The account id templates see as environment.account_id", HelpName = "id" };

    public Option<string?> EndpointUrl { get; } = UrlOption();

    public Option<string?> Region { get; } = new("--region") { Description = "AWS region (S3 and DynamoDB stores, S3 bundles, CloudFormation; the local provisioner's pseudo region)", HelpName = "region" };

    public Option<string?> Profile { get; } = new("--profile") { Description = "AWS profile for credentials (S3 and DynamoDB stores, S3 bundles, CloudFormation)", HelpName = "name" };

    /// <summary>Adds the store and AWS connection options.</summary>
    public void AddStore(Command command)
    {
        command.Options.Add(Store);
        command.Options.Add(EndpointUrl);
        command.Options.Add(Region);
        command.Options.Add(Profile);
    }

    /// <summary>Adds the store, provisioner and AWS connection options.</summary>
    public void AddPlatform(Command command)
    {
        AddStore(command);
        command.Options.Add(Provisioner);
        command.Options.Add(Stacks);
        command.Options.Add(TerraformRepository);
        command.Options.Add(AccountId);
    }

    public static Option<string> Choice(string name, string defaultValue, string description, params string[] values)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    /// <summary>A positional Proton name (template, environment, service, instance), checked with Proton's naming rule.</summary>
    public static Argument<string> Name(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(r => CheckName(r, r.GetValueOrDefault<string>(), name));
        return argument;
    }

    /// <summary>An option that takes a Proton name.</summary>
    public static Option<string> NameOption(string name, string description, bool required)
    {
        var option = new Option<string>(name) { Description = description, Required = required, HelpName = "name" };
        option.Validators.Add(r => CheckName(r, r.GetValueOrDefault<string>(), name));
        return option;
    }

    /// <summary>A positional version (SemVer, strict: no leading zeros).</summary>
    public static Argument<string> VersionArgument(string description)
    {
        var argument = new Argument<string>("version") { Description = description };
        argument.Validators.Add(r => CheckVersion(r, r.GetValueOrDefault<string>(), "version"));
        return argument;
    }

    /// <summary>A <c>--version</c>-like option (SemVer, strict: no leading zeros).</summary>
    public static Option<string?> VersionOption(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = "version" };
        option.Validators.Add(r => CheckVersion(r, r.GetValueOrDefault<string?>(), name));
        return option;
    }

    /// <summary>A file or bundle path argument or option value: not empty, no unsupported scheme.</summary>
    public static void CheckPath(SymbolResult r, string? value, string what, bool bundle = false)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length == 0 || value.Contains('\0', StringComparison.Ordinal))
        {
            r.AddError($"{what}: the path is empty or holds a NUL character");
        }
        else if (bundle && BundleLocation.CheckScheme(value) is { } error)
        {
            r.AddError(error);
        }
    }

    public static Argument<string> PathArgument(string name, string description, bool bundle = false)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(r => CheckPath(r, r.GetValueOrDefault<string>(), name, bundle));
        return argument;
    }

    public static Option<string?> PathOption(string name, string description, string helpName = "file", bool required = false)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = helpName, Required = required };
        option.Validators.Add(r => CheckPath(r, r.GetValueOrDefault<string?>(), name));
        return option;
    }

    public static Option<int> Count(string name, string description, int defaultValue, int minimum)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "n" };
        option.Validators.Add(r =>
        {
            // Read the token itself: a value that is not a number is already a parse error, and reading it would throw.
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n < minimum)
            {
                r.AddError($"{name} takes a whole number of at least {minimum}, not {n}");
            }
        });
        return option;
    }

    private static void CheckName(SymbolResult r, string? value, string what)
    {
        if (value is not null && ProtonNames.Explain(value) is { } why)
        {
            r.AddError($"{what}: {why}");
        }
    }

    private static void CheckVersion(SymbolResult r, string? value, string what)
    {
        if (value is not null && !SemanticVersion.TryParse(value, out _))
        {
            r.AddError($"{what}: '{Shorten(value)}' is not a version (MAJOR.MINOR.PATCH or Proton's MAJOR.MINOR, no leading zeros)");
        }
    }

    /// <summary>A deployment id: the store's key rule.</summary>
    public static Argument<string> DeploymentId()
    {
        var argument = new Argument<string>("deployment-id") { Description = "The deployment's id (from 'proton deployments list')" };
        argument.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            if (value is not null && !StoreKeys.IsValidName(value))
            {
                r.AddError($"deployment-id: '{Shorten(value)}' is not a deployment id");
            }
        });
        return argument;
    }

    public static string Shorten(string text) => text.Length <= 64 ? text : text[..61] + "...";

    private static Option<string> StoreOption()
    {
        var option = new Option<string>("--store") { Description = "The store: a folder, s3://bucket/prefix, or dynamodb://table?blobs=s3://bucket/prefix", DefaultValueFactory = _ => ".proton", HelpName = "dir|url" };
        option.Validators.Add(r =>
        {
            if (StoreLocation.TryParse(r.GetValueOrDefault<string>(), out var error) is null)
            {
                r.AddError(error!);
            }
        });
        return option;
    }

    private static Option<string?> UrlOption()
    {
        var option = new Option<string?>("--endpoint-url") { Description = "An AWS-compatible endpoint (LocalStack, moto, MinIO) for S3, DynamoDB and CloudFormation", HelpName = "url" };
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string?>();
            if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            {
                r.AddError($"--endpoint-url takes an http:// or https:// URL, not '{Shorten(value)}'");
            }
        });
        return option;
    }
}
