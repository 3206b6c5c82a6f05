using Proton.Sdk.Rendering;
using Proton.Sdk.Schema;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Testing;

/// <summary>
/// Template tests (<c>proton template test</c>): renders every template of a bundle with each spec of a folder (validated
/// against the schema), with a spec of defaults and one with every optional input set; compares each rendering with the
/// snapshot kept beside the spec, <c>&lt;spec&gt;.&lt;part&gt;[.&lt;instance&gt;].snapshot.yaml</c> (for example
/// <c>prod.infrastructure.snapshot.yaml</c>; the synthetic specs are named <c>defaults</c> and <c>all-optional</c>), and lints each
/// CloudFormation rendering: it parses, <c>Ref</c>/<c>Fn::GetAtt</c>/<c>Fn::Sub</c> targets exist, the inputs the templates use are
/// declared and the declared inputs are used; every rendering also goes through the <see cref="InjectionGuard"/>.
/// </summary>
public sealed class TemplateTester
{
    /// <summary>The suffix of snapshot files (spec files with it are not specs).</summary>
    public const string SnapshotSuffix = ".snapshot.yaml";

    private const string Defaults = "(defaults)";
    private const string AllOptional = "(all-optional)";

    private readonly ITemplateRenderer _renderer;

    /// <summary>Creates a tester.</summary>
    /// <param name="renderer">The renderer.</param>
    public TemplateTester(ITemplateRenderer renderer)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        _renderer = renderer;
    }

    /// <summary>The snapshot file of a spec's rendering of a part.</summary>
    /// <param name="specFolder">The spec folder.</param>
    /// <param name="spec">The spec's file name (or <c>(defaults)</c>, <c>(all-optional)</c>).</param>
    /// <param name="part">The part folder (<c>infrastructure</c>, <c>instance_infrastructure</c>, <c>pipeline_infrastructure</c>).</param>
    /// <param name="instance">The service instance, for instance parts.</param>
    /// <returns>The path.</returns>
    public static string SnapshotPath(string specFolder, string spec, string part, string? instance = null)
    {
        ArgumentNullException.ThrowIfNull(specFolder);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(part);
        var name = spec.Trim('(', ')');
        name = Path.GetFileNameWithoutExtension(name);
        return Path.Combine(specFolder, $"{name}.{part}{(instance is null ? string.Empty : "." + instance)}{SnapshotSuffix}");
    }

    /// <summary>Runs the tests.</summary>
    /// <param name="bundle">The bundle.</param>
    /// <param name="schema">Its parameter schema.</param>
    /// <param name="specFolder">The folder of spec files (<c>*.yaml</c>, <c>*.yml</c>, <c>*.json</c> but not snapshots); created when missing and snapshots are written.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The report.</returns>
    public async Task<TemplateTestReport> RunAsync(TemplateBundle bundle, ParameterSchema schema, string specFolder, TemplateTestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(specFolder);
        options ??= new TemplateTestOptions();
        var cases = new List<TemplateTestCase>();
        var validator = new SpecValidator(schema);
        var specs = new List<(string Name, ProtonSpec Spec)>();
        if (Directory.Exists(specFolder))
        {
            var files = Directory.GetFiles(specFolder)
                .Where(f => (f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
                    && !f.EndsWith(SnapshotSuffix, StringComparison.Ordinal))
                .OrderBy(f => f, StringComparer.Ordinal);
            foreach (var file in files)
            {
                var name = Path.GetFileName(file);
                var parsed = await SpecParser.ParseFileAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (parsed.Spec is null)
                {
                    cases.Add(new TemplateTestCase(name, "spec", TemplateTestStatus.Failed, parsed.Diagnostics.Select(d => d with { Code = TemplateTestErrorCodes.SpecInvalid, Message = $"{d.Code}: {d.Message}" }).ToList()));
                    continue;
                }

                specs.Add((name, parsed.Spec));
            }
        }

        if (options.IncludeDefaultsSpec)
        {
            specs.Add((Defaults, Synthesize(bundle, schema, allOptional: false)));
        }

        if (options.IncludeAllOptionalSpec)
        {
            specs.Add((AllOptional, Synthesize(bundle, schema, allOptional: true)));
        }

        var usage = CheckInputUsage(bundle, schema, out var schemaCase);
        var providerSchemas = options.ProviderSchemaFolder is null ? null : ProviderSchemaIndex.Load(options.ProviderSchemaFolder);
        foreach (var (name, spec) in specs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = validator.Validate(spec);
            if (!result.IsValid)
            {
                cases.Add(new TemplateTestCase(name, "spec", TemplateTestStatus.Failed, result.ToDiagnostics(spec).Select(d => d with { Code = TemplateTestErrorCodes.SpecInvalid, Message = $"{d.Code}: {d.Message}", File = d.File ?? name }).ToList()));
                continue;
            }

            foreach (var part in bundle.Parts.Where(p => p.RenderingEngine is not (RenderingEngines.Jinja or RenderingEngines.Scriban)))
            {
                cases.Add(Case(name, part.Folder, [Diagnostic.Warning(TemplateTestErrorCodes.NotRendered, $"The {part.Folder} part uses the '{part.RenderingEngine}' engine, which Proton does not render: the spec was validated, no template was rendered.", name)], null, null));
            }

            foreach (var (part, instance, context) in Contexts(bundle, name, result, options.Outputs))
            {
                foreach (var file in part.TemplateFiles)
                {
                    var snapshot = SnapshotPath(specFolder, name, part.Folder, part.TemplateFiles.Count > 1 ? instance + "." + Path.GetFileName(file.Path) : instance);
                    var caseName = instance is null ? name : $"{name}[{instance}]";
                    cases.Add(await RunOneAsync(caseName, part, file, context, snapshot, usage, options, providerSchemas, cancellationToken).ConfigureAwait(false));
                }
            }
        }

        if (schemaCase is not null)
        {
            cases.Add(schemaCase);
        }

        if (options.EnvironmentBundle is not null && bundle.Kind == TemplateKind.Service)
        {
            cases.AddRange(CheckEnvironmentOutputs(bundle, options.EnvironmentBundle));
        }

        return new TemplateTestReport(cases);
    }

    private async Task<TemplateTestCase> RunOneAsync(string spec, InfrastructurePart part, BundleFile file, RenderContext context, string snapshot, Dictionary<string, List<Diagnostic>> usage, TemplateTestOptions options, ProviderSchemaIndex? providerSchemas, CancellationToken cancellationToken)
    {
        var messages = new List<Diagnostic>();
        if (usage.TryGetValue(file.Path, out var undeclared))
        {
            messages.AddRange(undeclared);
        }

        string output;
        try
        {
            var compiled = _renderer.Compile(file.Text, file.Path, part.RenderingEngine);
            output = _renderer.Render(compiled, context, cancellationToken);
            messages.AddRange(InjectionGuard.Check(_renderer, compiled, context, output, options.InjectionGuard, cancellationToken).Diagnostics);
        }
        catch (RenderException ex)
        {
            messages.Add(ex.ToDiagnostic());
            return Case(spec, file.Path, messages, null, snapshot);
        }

        if (part.ProvisioningMethod == ProvisioningMethod.CloudFormation)
        {
            messages.AddRange(CloudFormationLint.Check(output, file.Path, options.KnownResourceTypes, providerSchemas));
        }

        string? diff = null;
        if (!options.UpdateSnapshots && File.Exists(snapshot))
        {
            var expected = await File.ReadAllTextAsync(snapshot, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(expected.ReplaceLineEndings("\n"), output.ReplaceLineEndings("\n"), StringComparison.Ordinal))
            {
                diff = LineDiff.Unified(expected, output, Path.GetFileName(snapshot), file.Path);
                messages.Add(Diagnostic.Error(TemplateTestErrorCodes.SnapshotChanged, $"The rendering differs from {Path.GetFileName(snapshot)}; update the snapshots if the change is intended.", snapshot));
            }
        }
        else
        {
            var existed = File.Exists(snapshot);
            Directory.CreateDirectory(Path.GetDirectoryName(snapshot)!);
            await File.WriteAllTextAsync(snapshot, output, cancellationToken).ConfigureAwait(false);
            if (!existed)
            {
                messages.Add(Diagnostic.Warning(TemplateTestErrorCodes.SnapshotWritten, $"No snapshot existed: wrote {Path.GetFileName(snapshot)}.", snapshot));
            }
        }

        return Case(spec, file.Path, messages, diff, snapshot);
    }

    private static TemplateTestCase Case(string spec, string template, List<Diagnostic> messages, string? diff, string? snapshot)
    {
        var status = messages.Any(m => m.Severity == DiagnosticSeverity.Error) ? TemplateTestStatus.Failed
            : messages.Count > 0 ? TemplateTestStatus.Warning
            : TemplateTestStatus.Passed;
        return new TemplateTestCase(spec, template, status, messages) { Diff = diff, SnapshotFile = snapshot };
    }

    /// <summary>Each part to render with its context: the environment part once, the instance part per instance, the pipeline once.</summary>
    private IEnumerable<(InfrastructurePart Part, string? Instance, RenderContext Context)> Contexts(TemplateBundle bundle, string specName, SpecValidationResult result, IReadOnlyDictionary<string, string>? given)
    {
        var outputs = given ?? new PlaceholderOutputs();
        var environment = new EnvironmentInfo("test-env") { AccountId = "123456789012", Inputs = result.Environment ?? InputValues.Empty, Outputs = outputs };
        var service = new ServiceInfo(Path.GetFileNameWithoutExtension(specName.Trim('(', ')')))
        {
            BranchName = "main",
            RepositoryConnectionArn = "arn:aws:codestar-connections:us-east-1:123456789012:connection/test",
            RepositoryId = "org/repo",
        };
        var instances = result.Instances.Select(i => new ServiceInstanceInfo(i.Key, environment) { Inputs = i.Value, Outputs = outputs }).ToList();
        foreach (var part in bundle.Parts.Where(p => p.RenderingEngine is RenderingEngines.Jinja or RenderingEngines.Scriban))
        {
            switch (part.Kind)
            {
                case InfrastructurePartKind.Infrastructure when result.Environment is not null:
                    yield return (part, null, ProtonContexts.ForEnvironment(environment));
                    break;
                case InfrastructurePartKind.InstanceInfrastructure:
                    foreach (var instance in instances)
                    {
                        yield return (part, instance.Name, ProtonContexts.ForServiceInstance(service, instance));
                    }

                    break;
                case InfrastructurePartKind.PipelineInfrastructure when result.Environment is null:
                    // Without given outputs, each instance answers the outputs its own rendering states as literals (an
                    // output whose Value is "{{ service_instance.inputs.x }}", say), as Proton's pipeline saw them after the
                    // instances deployed; the others stay placeholders.
                    var seen = given is not null ? instances : instances.Select(i => i with { Outputs = new PlaceholderOutputs(LiteralOutputs(bundle, service, i)) }).ToList();
                    yield return (part, null, ProtonContexts.ForPipeline(service, result.Pipeline ?? InputValues.Empty, seen));
                    break;
            }
        }
    }

    /// <summary>The outputs an instance's rendered CloudFormation templates give as plain strings (no intrinsic function); none when a template does not render or parse.</summary>
    private Dictionary<string, string> LiteralOutputs(TemplateBundle bundle, ServiceInfo service, ServiceInstanceInfo instance)
    {
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in bundle.Parts.Where(p => p.Kind == InfrastructurePartKind.InstanceInfrastructure && p.ProvisioningMethod == ProvisioningMethod.CloudFormation && p.RenderingEngine is RenderingEngines.Jinja or RenderingEngines.Scriban))
        {
            foreach (var file in part.TemplateFiles)
            {
                try
                {
                    var rendered = _renderer.Render(_renderer.Compile(file.Text, file.Path, part.RenderingEngine), ProtonContexts.ForServiceInstance(service, instance));
                    foreach (var (name, value) in Provisioning.CloudFormationTemplate.Parse(rendered, file.Path).Outputs)
                    {
                        if (value is string literal)
                        {
                            known[name] = literal;
                        }
                    }
                }
                catch (Exception ex) when (ex is RenderException or ProtonValidationException)
                {
                    // The instance's own case reports it; the pipeline keeps placeholders for this file's outputs.
                }
            }
        }

        return known;
    }

    /// <summary>One case per service template that reads <c>environment.outputs.X</c>: each name must be an output of the environment bundle.</summary>
    private List<TemplateTestCase> CheckEnvironmentOutputs(TemplateBundle bundle, TemplateBundle environment)
    {
        const string Spec = "(environment outputs)";
        var cases = new List<TemplateTestCase>();
        var reads = bundle.Parts.SelectMany(p => p.TemplateFiles).Select(f => (File: f, Uses: InputUsage.EnvironmentOutputs(f.Text).ToList())).Where(x => x.Uses.Count > 0).ToList();
        if (reads.Count == 0)
        {
            return cases;
        }

        var (outputs, problems) = EnvironmentOutputNames(environment);
        if (outputs is null)
        {
            cases.Add(Case(Spec, environment.Source, problems, null, null));
            return cases;
        }

        foreach (var (file, uses) in reads)
        {
            var messages = new List<Diagnostic>(problems);
            foreach (var use in uses.Where(u => !outputs.Contains(u.Name)))
            {
                messages.Add(Diagnostic.Error(TemplateTestErrorCodes.MissingEnvironmentOutput, $"'environment.outputs.{use.Name}' is read, but the environment template ({environment.Source}) has no output '{use.Name}'.", file.Path, use.Line, use.Column));
            }

            cases.Add(Case(Spec, file.Path, messages, null, null));
        }

        return cases;
    }

    /// <summary>The output names of the environment bundle's CloudFormation templates rendered with a spec of defaults and one with every optional input set; null with the reasons when none could be read.</summary>
    private (HashSet<string>? Names, List<Diagnostic> Problems) EnvironmentOutputNames(TemplateBundle environment)
    {
        var problems = new List<Diagnostic>();
        var parsed = SchemaParser.Parse(environment);
        if (parsed.Schema is null || environment.Kind != TemplateKind.Environment)
        {
            problems.Add(Diagnostic.Warning(TemplateTestErrorCodes.EnvironmentOutputsUnknown, $"{environment.Source} is not an environment bundle with a valid schema: the environment outputs were not checked.", environment.Source));
            return (null, problems);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var read = false;
        var validator = new SpecValidator(parsed.Schema);
        foreach (var allOptional in new[] { false, true })
        {
            var spec = Synthesize(environment, parsed.Schema, allOptional);
            var result = validator.Validate(spec);
            if (!result.IsValid)
            {
                continue;
            }

            var context = ProtonContexts.ForEnvironment(new EnvironmentInfo("test-env") { AccountId = "123456789012", Inputs = result.Environment ?? InputValues.Empty, Outputs = new PlaceholderOutputs() });
            foreach (var part in environment.Parts.Where(p => p.Kind == InfrastructurePartKind.Infrastructure && p.ProvisioningMethod == ProvisioningMethod.CloudFormation && p.RenderingEngine is RenderingEngines.Jinja or RenderingEngines.Scriban))
            {
                foreach (var file in part.TemplateFiles)
                {
                    try
                    {
                        var rendered = _renderer.Render(_renderer.Compile(file.Text, file.Path, part.RenderingEngine), context);
                        names.UnionWith(Provisioning.CloudFormationTemplate.Parse(rendered, file.Path).Outputs.Select(o => o.Key));
                        read = true;
                    }
                    catch (Exception ex) when (ex is RenderException or ProtonValidationException)
                    {
                        problems.Add(Diagnostic.Warning(TemplateTestErrorCodes.EnvironmentOutputsUnknown, $"The environment template {file.Path} did not render or parse ({ex.Message}): its outputs are not known.", file.Path));
                    }
                }
            }
        }

        if (!read)
        {
            problems.Add(Diagnostic.Warning(TemplateTestErrorCodes.EnvironmentOutputsUnknown, $"No CloudFormation template of {environment.Source} rendered: the environment outputs were not checked.", environment.Source));
            return (null, problems);
        }

        return (names, problems.DistinctBy(p => p.Message, StringComparer.Ordinal).ToList());
    }

    /// <summary>A spec of the bundle's kind: required inputs only (defaults fill the rest), or every input set.</summary>
    private static ProtonSpec Synthesize(TemplateBundle bundle, ParameterSchema schema, bool allOptional)
    {
        if (bundle.Kind == TemplateKind.Environment || schema.EnvironmentInput is not null)
        {
            return new EnvironmentSpec { Spec = Values(schema.EnvironmentInput, allOptional) };
        }

        return new ServiceSpec
        {
            Instances = [new ServiceInstanceSpec("instance", "test-env", Values(schema.ServiceInput, allOptional))],
            Pipeline = schema.PipelineInput is null ? null : Values(schema.PipelineInput, allOptional),
        };
    }

    private static Dictionary<string, object?> Values(SchemaInputType? type, bool allOptional)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in type?.Properties ?? [])
        {
            if (!allOptional && !type!.MustBeGiven(p.Name))
            {
                continue;
            }

            values[p.Name] = p.HasDefault && ValueRules.Check(p, p.Default).Count == 0 ? p.Default
                : p.Example is { } example && ValueRules.Check(p, example).Count == 0 ? example
                : p.Enum is { Count: > 0 } e ? e[0]
                : p.Type switch
                {
                    SchemaValueType.String => new string('x', Math.Max(1, p.MinLength ?? 1)),
                    SchemaValueType.Number or SchemaValueType.Integer => (long)Math.Ceiling(p.Minimum ?? 1),
                    SchemaValueType.Boolean => false,
                    _ => p.Items is { Type: SchemaValueType.String } && (p.MinItems ?? 0) > 0 ? Enumerable.Repeat((object?)"x", p.MinItems!.Value).ToList() : new List<object?>(),
                };
        }

        return values;
    }

    /// <summary>Undeclared inputs by template file (errors), and a bundle-wide case for unused inputs (warnings).</summary>
    private static Dictionary<string, List<Diagnostic>> CheckInputUsage(TemplateBundle bundle, ParameterSchema schema, out TemplateTestCase? schemaCase)
    {
        var byFile = new Dictionary<string, List<Diagnostic>>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in bundle.Parts)
        {
            foreach (var file in part.TemplateFiles)
            {
                var text = file.Text;
                used.UnionWith(InputUsage.AnyUse(text));
                foreach (var use in InputUsage.Scan(text))
                {
                    var type = use.Namespace switch
                    {
                        "environment" => schema.EnvironmentInput,
                        "service_instance" => schema.ServiceInput,
                        _ => schema.PipelineInput,
                    };
                    if (type?.Property(use.Name) is null)
                    {
                        if (!byFile.TryGetValue(file.Path, out var list))
                        {
                            byFile[file.Path] = list = [];
                        }

                        list.Add(Diagnostic.Error(TemplateTestErrorCodes.UndeclaredInput, $"'{use.Namespace}.inputs.{use.Name}' is not declared in the schema ({type?.Name ?? "no " + use.Namespace + " input type"}).", file.Path, use.Line, use.Column));
                    }
                }
            }
        }

        var unused = new List<Diagnostic>();
        foreach (var type in new[] { schema.EnvironmentInput, schema.ServiceInput, schema.PipelineInput })
        {
            foreach (var p in type?.Properties ?? [])
            {
                if (!used.Contains(p.Name))
                {
                    unused.Add(Diagnostic.Warning(TemplateTestErrorCodes.UnusedInput, $"Input '{p.Name}' of {type!.Name} is declared but no template uses it.", schema.SourceFile, p.Location.Line, p.Location.Column));
                }
            }
        }

        schemaCase = bundle.Parts.Count == 0 ? null : Case("(bundle)", schema.SourceFile, unused, null, null);
        return byFile;
    }
}
