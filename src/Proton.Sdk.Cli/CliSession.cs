using System.CommandLine;
using Proton.Sdk.Cli.Output;
using Proton.Sdk.Platform;
using Proton.Sdk.Templates;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Cli;

/// <summary>One command's run: its parse result, console and the store and platform it opens on demand.</summary>
internal sealed class CliSession(ParseResult parse, CliOptions options, CliConsole console, CancellationToken cancellationToken)
{
    public ParseResult Parse { get; } = parse;

    public CliConsole Console { get; } = console;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The spec file the command read, if any: validation failures are located in it.</summary>
    public Templates.ProtonSpec? Spec { get; set; }

    /// <summary>True when <c>--output json</c> was given.</summary>
    public bool Json => Maybe(options.Output) == "json";

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    /// <summary>The value of a shared option, or its default when the command does not take it.</summary>
    public T? Maybe<T>(Option<T> option)
        => Parse.CommandResult.Command.Options.Contains(option) ? Parse.GetValue(option) : default;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public AwsSettings Aws => new(Maybe(options.EndpointUrl), Maybe(options.Region), Maybe(options.Profile));

    public StoreLocation StoreLocation => StoreLocation.TryParse(Maybe(options.Store) ?? ".proton", out _)!;

    /// <summary>Opens the store; only <c>template create</c> may create a folder store.</summary>
    public IProtonStore OpenStore(bool create = false) => StoreLocation.Open(create, Aws);

    /// <summary>Opens the platform over the store with the chosen provisioner.</summary>
    public ProtonPlatform OpenPlatform(bool create = false)
    {
        var kind = Maybe(options.Provisioner) ?? "local";
        var accountId = Maybe(options.AccountId);
        var store = OpenStore(create);
        var aws = Aws;
        IProvisioner provisioner = kind == "cloudformation"
            ? CloudFormation.Create(aws)
            : new LocalProvisioner(new LocalProvisionerOptions
            {
                RootDirectory = Maybe(options.Stacks) ?? StoreLocation.DefaultStacksFolder,
                Region = aws.Region ?? "us-east-1",
                AccountId = accountId ?? "123456789012",
            });
        var platformOptions = new ProtonPlatformOptions { DefaultAccountId = accountId ?? (kind == "local" ? "123456789012" : null) };
        if (kind == "cloudformation" && accountId is null)
        {
            // environment.account_id from STS GetCallerIdentity, asked only when a template needs it.
            platformOptions.AccountIdSource = CloudFormation.AccountSource(aws);
        }

        // Terraform and CodeBuild bundles say what they need: their provisioners work beside the store's stacks folder.
        var engines = Path.GetDirectoryName(Path.GetFullPath(Maybe(options.Stacks) ?? StoreLocation.DefaultStacksFolder))!;
        platformOptions.Provisioners[ProvisioningMethod.CodeBuild] = new Sdk.Provisioning.CodeBuild.CodeBuildProvisioner(
            new Sdk.Provisioning.CodeBuild.LocalCodeBuildRunner(new Sdk.Provisioning.CodeBuild.LocalCodeBuildRunnerOptions { RootDirectory = Path.Combine(engines, "codebuild") }),
            new Sdk.Provisioning.CodeBuild.CodeBuildProvisionerOptions { StateDirectory = Path.Combine(engines, "codebuild-state") });
        platformOptions.Provisioners[ProvisioningMethod.Terraform] = new Terraform.TerraformProvisioner(new Terraform.TerraformOptions { RootDirectory = Path.Combine(engines, "terraform"), RepositoryPath = Maybe(options.TerraformRepository) });

        // The injection guard is on; templates that build structure from inputs on purpose are exempted by name.
        foreach (var name in (Environment.GetEnvironmentVariable("PROTON_INJECTION_GUARD_EXEMPT") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            platformOptions.InjectionGuardExemptTemplates.Add(name);
        }

        return new ProtonPlatform(store, provisioner, platformOptions);
    }

    /// <summary>Keeps the AWS provisioner's types out of the methods that run for the local provisioner.</summary>
    private static class CloudFormation
    {
        public static IProvisioner Create(AwsSettings aws)
            => new Aws.CloudFormation.CloudFormationProvisioner(new Aws.CloudFormation.CloudFormationProvisionerOptions { Connection = aws.Connection() });

        public static IAccountIdSource AccountSource(AwsSettings aws) => new Aws.Sts.StsAccountIdSource(aws.Connection());
    }
}
