using Proton.Sdk.Platform;
using System.Text.Json;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Policies;
using Proton.Sdk.Schema;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Cli;

/// <summary><c>proton policy</c>: the IAM policy a template needs, an upgrade's difference, and a check of an existing policy.</summary>
internal static partial class ProtonCli
{
    private static async Task<int> PolicyAsync(CliArgs a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var specPath = a.Option("spec");
        var operationText = a.Option("operation") ?? "all";
        var from = a.Option("from-version");
        var to = a.Option("to-version");
        var checkPath = a.Option("check");
        var schemas = a.Option("schemas");
        var describeType = a.Flag("describe-type");
        var storePath = a.Option("store") ?? ".proton";
        var cache = a.Option("cache") ?? Path.Combine(storePath, "permissions-cache");
        var endpoint = a.Option("endpoint-url");
        var region = a.Option("region");
        var profile = a.Option("profile");
        var format = a.Option("output") ?? "json";
        if (format is not ("json" or "text"))
        {
            throw new UsageException($"--output takes 'text' or 'json', not '{format}'");
        }

        a.Done(1);
        var operations = operationText switch
        {
            "create" => StackOperations.Create,
            "update" => StackOperations.Update,
            "delete" => StackOperations.Delete,
            "all" => StackOperations.All,
            _ => throw new UsageException($"--operation takes create, update, delete or all, not '{operationText}'"),
        };
        if ((from is null) != (to is null))
        {
            throw new UsageException("--from-version and --to-version go together");
        }

        IResourcePermissionSource inner = (schemas, describeType) switch
        {
            (not null, false) => new ProviderSchemaFolderSource(schemas),
            (null, true) => new DescribeTypePermissionSource(new AwsConnectionOptions { ServiceUrl = endpoint, Region = region, Profile = profile }),
            _ => throw new UsageException("give --schemas <folder of provider schemas> or --describe-type (CloudFormation's DescribeType)"),
        };
        var builder = new PolicyBuilder(new CachingPermissionSource(inner, cache));
        var target = a.Positionals[0];

        async Task<PolicyResult> ForBundleAsync(TemplateBundle bundle)
        {
            var schema = SchemaParser.Parse(bundle).GetSchemaOrThrow();
            IReadOnlyDictionary<string, object?>? env = null, instance = null, pipeline = null;
            if (specPath is not null)
            {
                var spec = (await SpecParser.ParseFileAsync(specPath, cancellationToken: cancellationToken).ConfigureAwait(false)).GetSpecOrThrow();
                var validation = new SpecValidator(schema).Validate(spec);
                if (!validation.IsValid)
                {
                    throw new ProtonValidationException(SpecErrorCodes.Invalid, validation.ToDiagnostics(spec));
                }

                env = validation.Environment;
                instance = validation.Instances.Values.FirstOrDefault();
                pipeline = validation.Pipeline;
            }

            var texts = Versioning.RegistrationCheck.RenderAll(Rendering.TemplateRenderer.Default, bundle, schema, new Versioning.RegistrationCheckInputs { Environment = env, Instance = instance, Pipeline = pipeline })
                .Where(t => bundle.Part(t.Part)?.ProvisioningMethod == ProvisioningMethod.CloudFormation).Select(t => t.Text).ToList();
            return await builder.BuildAsync(texts, operations, cancellationToken).ConfigureAwait(false);
        }

        async Task<PolicyResult> ForAsync(string? version)
        {
            if (Directory.Exists(target) || File.Exists(target))
            {
                if (version is not null)
                {
                    throw new UsageException("--from-version and --to-version take a template name from the store, not a bundle path");
                }

                return await ForBundleAsync((await TemplateBundleLoader.LoadAsync(target, cancellationToken: cancellationToken).ConfigureAwait(false)).GetBundleOrThrow()).ConfigureAwait(false);
            }

            var registry = new Versioning.TemplateRegistry(new Storage.FileSystemProtonStore(storePath));
            var record = version is null
                ? await registry.GetRecommendedAsync(target, null, cancellationToken).ConfigureAwait(false)
                : await registry.GetVersionAsync(target, version, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                throw new Platform.PlatformException(PlatformErrorCodes.VersionUnavailable, $"No {(version is null ? "recommended version" : "version " + version)} of '{target}' in {storePath}, and no bundle at that path.");
            }

            return await ForBundleAsync(await registry.LoadBundleAsync(record, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }

        if (from is not null)
        {
            var diff = PolicyBuilder.Compare(await ForAsync(from).ConfigureAwait(false), await ForAsync(to).ConfigureAwait(false));
            await WriteJsonAsync(stdout, new { from, to, added = diff.Added, removed = diff.Removed }).ConfigureAwait(false);
            return Ok;
        }

        var policy = await ForAsync(null).ConfigureAwait(false);
        if (checkPath is not null)
        {
            var verdict = PolicyChecker.Check(await File.ReadAllTextAsync(checkPath, cancellationToken).ConfigureAwait(false), policy.Actions);
            await WriteJsonAsync(stdout, new { sufficient = verdict.IsSufficient, missing = verdict.Missing, denied = verdict.Denied, uncovered = policy.Uncovered }).ConfigureAwait(false);
            return verdict.IsSufficient ? Ok : Invalid;
        }

        if (format == "text")
        {
            await stdout.WriteLineAsync(policy.PolicyDocument).ConfigureAwait(false);
            foreach (var u in policy.Uncovered)
            {
                await stderr.WriteLineAsync($"not covered: {u.TypeName} ({string.Join(", ", u.LogicalIds)}): {u.Reason}").ConfigureAwait(false);
            }

            return Ok;
        }

        await WriteJsonAsync(stdout, new
        {
            policy = JsonDocument.Parse(policy.PolicyDocument).RootElement,
            actionsByType = policy.ActionsByType,
            uncovered = policy.Uncovered,
            needsAutoExpand = policy.NeedsAutoExpand,
            passesRoles = policy.PassesRoles,
        }).ConfigureAwait(false);
        return Ok;
    }
}
