using System.CommandLine;
using System.Text.Json;
using Proton.Sdk.Platform;
using Proton.Sdk.Policies;
using Proton.Sdk.Schema;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Cli.Commands;

/// <summary><c>proton policy</c>: the IAM policy a template needs, an upgrade's difference, and a check of an existing policy.</summary>
internal static class PolicyCommand
{
    public static Command Build(CliOptions o, ActionBinder bind)
    {
        var command = new Command("policy", "The IAM policy a bundle or registered template needs to be provisioned");
        var target = CliOptions.PathArgument("bundle-or-template", "A bundle (folder, .tar.gz, s3://bucket/key.tar.gz) or a template name in the store", bundle: true);
        var schemas = CliOptions.PathOption("--schemas", "A folder of CloudFormation provider schemas", helpName: "dir");
        var describeType = new Option<bool>("--describe-type") { Description = "Ask CloudFormation's DescribeType instead of a folder" };
        var spec = CliOptions.PathOption("--spec", "A spec whose inputs render the templates");
        var operation = CliOptions.Choice("--operation", "all", "Which stack operations the policy covers", "create", "update", "delete", "all");
        var from = CliOptions.VersionOption("--from-version", "With --to-version: the actions an upgrade adds and removes");
        var to = CliOptions.VersionOption("--to-version", "With --from-version");
        var check = CliOptions.PathOption("--check", "An existing role policy (JSON) to check; exit 1 when it lacks actions");
        var cache = CliOptions.PathOption("--cache", "Where permission lookups are cached [default: <store>/permissions-cache when the store exists, else memory]", helpName: "dir");
        var output = CliOptions.Choice("--output", "json", "Output format: json, or text (the policy document alone)", "json", "text");
        command.Arguments.Add(target);
        foreach (var option in new Option[] { schemas, describeType, spec, operation, from, to, check, cache, output })
        {
            command.Options.Add(option);
        }

        o.AddStore(command);
        command.Validators.Add(r =>
        {
            if ((r.GetResult(from) is null) != (r.GetResult(to) is null))
            {
                r.AddError("--from-version and --to-version go together");
            }

            if ((r.GetResult(schemas) is null) == !r.GetValue(describeType))
            {
                r.AddError("give --schemas <folder of provider schemas> or --describe-type (CloudFormation's DescribeType)");
            }
        });
        bind(command, async s =>
        {
            var operations = s.Value(operation) switch
            {
                "create" => StackOperations.Create,
                "update" => StackOperations.Update,
                "delete" => StackOperations.Delete,
                _ => StackOperations.All,
            };
            var store = s.StoreLocation;
            // Lookups are cached on disk only inside a folder store that exists (or --cache): this command never creates a store.
            var cacheDir = s.Value(cache) ?? (!store.IsS3 && Directory.Exists(Path.Combine(store.Text, "records")) ? Path.Combine(store.Text, "permissions-cache") : null);
            IResourcePermissionSource inner;
            if (s.Value(schemas) is { } folder)
            {
                if (!Directory.Exists(folder))
                {
                    throw new CliException($"{folder}: error cli.not-found: no such folder");
                }

                inner = new ProviderSchemaFolderSource(folder);
            }
            else
            {
                inner = Aws(s);
            }

            var builder = new PolicyBuilder(new CachingPermissionSource(inner, cacheDir));
            var name = s.Value(target);
            var specPath = s.Value(spec);
            var fromVersion = s.Value(from);

            if (fromVersion is not null)
            {
                var diff = PolicyBuilder.Compare(
                    await ForAsync(s, builder, name, fromVersion, specPath, operations).ConfigureAwait(false),
                    await ForAsync(s, builder, name, s.Value(to), specPath, operations).ConfigureAwait(false));
                await s.Console.WriteJsonAsync(new { from = fromVersion, to = s.Value(to), added = diff.Added, removed = diff.Removed }).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var policy = await ForAsync(s, builder, name, null, specPath, operations).ConfigureAwait(false);
            if (s.Value(check) is { } checkPath)
            {
                var text = await InputFiles.ReadTextAsync(checkPath, s.CancellationToken).ConfigureAwait(false);
                PolicyCheckResult verdict;
                try
                {
                    verdict = PolicyChecker.Check(text, policy.Actions);
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException)
                {
                    throw new CliException($"{checkPath}: error cli.policy: not an IAM policy document this checker reads ({ex.Message})");
                }

                await s.Console.WriteJsonAsync(new { sufficient = verdict.IsSufficient, missing = verdict.Missing, denied = verdict.Denied, uncovered = policy.Uncovered }).ConfigureAwait(false);
                return verdict.IsSufficient ? ExitCodes.Ok : ExitCodes.Invalid;
            }

            if (s.Value(output) == "text")
            {
                await s.Console.LineAsync(policy.PolicyDocument).ConfigureAwait(false);
                foreach (var u in policy.Uncovered)
                {
                    await s.Console.ErrorAsync($"not covered: {u.TypeName} ({string.Join(", ", u.LogicalIds)}): {u.Reason}").ConfigureAwait(false);
                }

                return ExitCodes.Ok;
            }

            using var document = JsonDocument.Parse(policy.PolicyDocument);
            await s.Console.WriteJsonAsync(new
            {
                policy = document.RootElement,
                actionsByType = policy.ActionsByType,
                uncovered = policy.Uncovered,
                needsAutoExpand = policy.NeedsAutoExpand,
                passesRoles = policy.PassesRoles,
            }).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static IResourcePermissionSource Aws(CliSession s) => new Aws.CloudFormation.DescribeTypePermissionSource(s.Aws.Connection());

    private static async Task<PolicyResult> ForAsync(CliSession s, PolicyBuilder builder, string target, string? version, string? specPath, StackOperations operations)
    {
        TemplateBundle bundle;
        if (BundleLocation.Exists(target))
        {
            if (version is not null)
            {
                throw new UsageException("--from-version and --to-version take a template name from the store, not a bundle path");
            }

            bundle = (await TemplateBundleLoader.LoadAsync(BundleLocation.Open(target, s.Aws), cancellationToken: s.CancellationToken).ConfigureAwait(false)).GetBundleOrThrow();
        }
        else
        {
            if (!ProtonNames.IsValid(target))
            {
                throw new CliException($"{target}: error bundle.not-found: no folder or archive there, and not a template name");
            }

            var registry = new TemplateRegistry(s.OpenStore());
            var record = version is null
                ? await registry.GetRecommendedAsync(target, null, s.CancellationToken).ConfigureAwait(false)
                : await registry.GetVersionAsync(target, version, s.CancellationToken).ConfigureAwait(false);
            bundle = record is null
                ? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"No {(version is null ? "recommended version" : "version " + version)} of '{target}' in {s.StoreLocation.Text}, and no bundle at that path.")
                : await registry.LoadBundleAsync(record, s.CancellationToken).ConfigureAwait(false);
        }

        var schema = SchemaParser.Parse(bundle).GetSchemaOrThrow();
        IReadOnlyDictionary<string, object?>? env = null, instance = null, pipeline = null;
        if (specPath is not null)
        {
            var spec = await SpecCommand.ReadAsync(s, specPath).ConfigureAwait(false);
            var validation = new SpecValidator(schema).Validate(spec);
            if (!validation.IsValid)
            {
                throw new ProtonValidationException(SpecErrorCodes.Invalid, validation.ToDiagnostics(spec));
            }

            env = validation.Environment;
            instance = validation.Instances.Values.FirstOrDefault();
            pipeline = validation.Pipeline;
        }

        var texts = RegistrationCheck.RenderAll(Rendering.TemplateRenderer.Default, bundle, schema, new RegistrationCheckInputs { Environment = env, Instance = instance, Pipeline = pipeline })
            .Where(t => bundle.Part(t.Part)?.ProvisioningMethod == ProvisioningMethod.CloudFormation).Select(t => t.Text).ToList();
        return await builder.BuildAsync(texts, operations, s.CancellationToken).ConfigureAwait(false);
    }
}
