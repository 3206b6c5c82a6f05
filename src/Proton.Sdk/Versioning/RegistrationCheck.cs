using Proton.Sdk.Provisioning;
using Proton.Sdk.Rendering;
using Proton.Sdk.Rendering.Jinja;
using Proton.Sdk.Schema;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Versioning;

/// <summary>
/// The check the registry runs at registration: renders every template of a bundle with a synthetic context (the inputs
/// given, else defaults and values that satisfy the schema; environment outputs answer <c>OUT_name</c>), so a bundle that
/// cannot render is refused before any resource uses it. Public so that hosts and tools (policy builders, template tests)
/// render a whole bundle the same way.
/// </summary>
public static class RegistrationCheck
{
    /// <summary>Renders every Jinja or Scriban template of the bundle.</summary>
    /// <param name="renderer">The renderer.</param>
    /// <param name="bundle">The bundle.</param>
    /// <param name="schema">Its parameter schema.</param>
    /// <param name="inputs">Inputs to use instead of synthetic ones (each part null: synthetic).</param>
    /// <returns>Every rendered template, in bundle order.</returns>
    /// <exception cref="ProtonValidationException">With code <see cref="RegistryErrorCodes.RenderFailed"/> and every render error as a diagnostic.</exception>
    public static IReadOnlyList<RenderedTemplate> RenderAll(ITemplateRenderer renderer, TemplateBundle bundle, ParameterSchema schema, RegistrationCheckInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(schema);
        var diagnostics = new List<Diagnostic>();
        var texts = new List<RenderedTemplate>();
        var envInputs = inputs?.Environment ?? Synthetic(schema.EnvironmentInput);
        var instanceInputs = inputs?.Instance ?? Synthetic(schema.ServiceInput);
        var pipelineInputs = inputs?.Pipeline ?? Synthetic(schema.PipelineInput);
        var outputs = new PlaceholderOutputs();
        var service = new ServiceInfo("registration-check") { BranchName = "main", RepositoryConnectionArn = "arn:aws:codestar-connections:us-east-1:123456789012:connection/check", RepositoryId = "org/repo" };
        RenderContext ContextFor(InfrastructurePartKind kind, IReadOnlyDictionary<string, object?> env, IReadOnlyDictionary<string, object?> inst, IReadOnlyDictionary<string, object?> pipe)
        {
            var environment = new EnvironmentInfo("registration-check") { AccountId = "123456789012", Inputs = env, Outputs = outputs };
            var instance = new ServiceInstanceInfo("instance", environment) { Inputs = inst, Outputs = outputs };
            return kind switch
            {
                InfrastructurePartKind.Infrastructure => ProtonContexts.ForEnvironment(environment),
                InfrastructurePartKind.InstanceInfrastructure => ProtonContexts.ForServiceInstance(service, instance),
                InfrastructurePartKind.PipelineInfrastructure => ProtonContexts.ForPipeline(service, pipe, [instance]),
                _ => ProtonContexts.ForComponent("component", environment, service, instance),
            };
        }

        var compiled = new List<(InfrastructurePart Part, BundleFile File, CompiledTemplate Template)>();
        foreach (var part in bundle.Parts.Where(p => p.RenderingEngine is RenderingEngines.Jinja or RenderingEngines.Scriban))
        {
            var context = ContextFor(part.Kind, envInputs, instanceInputs, pipelineInputs);
            foreach (var file in part.TemplateFiles)
            {
                try
                {
                    var template = renderer.Compile(file.Text, file.Path, part.RenderingEngine);
                    texts.Add(new RenderedTemplate(part.Kind, file.Path, renderer.Render(template, context)));
                    compiled.Add((part, file, template));
                }
                catch (RenderException ex)
                {
                    diagnostics.Add(ex.ToDiagnostic());
                }
            }
        }

        if (diagnostics.Count > 0)
        {
            throw new ProtonValidationException(RegistryErrorCodes.RenderFailed, diagnostics);
        }

        // Masking replaces a secret's exact text, so a secret may only reach the output as it is. First a static check of
        // each Jinja template: a secret input may only be printed as it is, and the inputs object may only be reached through
        // static names; any other use (a branch on the value, a filter, a variable, a computed key) is refused where it is.
        var checkedStatically = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (part, file, _) in compiled.Where(c => c.Part.RenderingEngine == RenderingEngines.Jinja))
        {
            if (SecretGlobals(part.Kind, schema) is not { } globals)
            {
                continue;
            }

            var found = StaticSecretUses(renderer, file, globals);
            if (found.Count > 0)
            {
                checkedStatically.Add(file.Path);
                diagnostics.AddRange(found);
            }
        }

        // Then each secret input is rendered with two different test values; once each value is masked, both outputs must
        // be the same text. A filter, slice, method or length of the secret (|upper, [::-1], [1:], |list|join, |tojson) makes
        // them differ. This is what checks Scriban templates, and a second line for Jinja ones.
        foreach (var (part, file, template) in compiled.Where(c => !checkedStatically.Contains(c.File.Path)))
        {
            var own = part.Kind switch
            {
                InfrastructurePartKind.Infrastructure => (schema.EnvironmentInput, envInputs),
                InfrastructurePartKind.InstanceInfrastructure => (schema.ServiceInput, instanceInputs),
                InfrastructurePartKind.PipelineInfrastructure => (schema.PipelineInput, pipelineInputs),
                _ => ((SchemaInputType?)null, (IReadOnlyDictionary<string, object?>)envInputs),
            };
            foreach (var secret in own.Item1?.Properties.Where(p => p.IsSecret) ?? [])
            {
                if (SecretTransformation(secret.Name, template, file.Path) is { } problem)
                {
                    diagnostics.Add(problem);
                }
            }

            Diagnostic? SecretTransformation(string name, CompiledTemplate template, string path)
            {
                var outputs = new string[SecretProbes.Length];
                for (var i = 0; i < SecretProbes.Length; i++)
                {
                    var inputs = new Dictionary<string, object?>(own.Item2, StringComparer.Ordinal) { [name] = SecretProbes[i] };
                    var context = part.Kind switch
                    {
                        InfrastructurePartKind.Infrastructure => ContextFor(part.Kind, inputs, instanceInputs, pipelineInputs),
                        InfrastructurePartKind.InstanceInfrastructure => ContextFor(part.Kind, envInputs, inputs, pipelineInputs),
                        _ => ContextFor(part.Kind, envInputs, instanceInputs, inputs),
                    };
                    try
                    {
                        outputs[i] = renderer.Render(template, context).Replace(SecretProbes[i], SecretRedactor.Mask, StringComparison.Ordinal);
                    }
                    catch (RenderException ex)
                    {
                        return Diagnostic.Error(RegistryErrorCodes.SecretTransformed, $"the secret input '{name}' (format: password) cannot be rendered with another value ({ex.Message}); a template may only render a secret as it is", path, ex.Line, ex.Column);
                    }
                }

                if (outputs[0] == outputs[1])
                {
                    return null;
                }

                var line = FirstDifferentLine(outputs[0], outputs[1]);
                return Diagnostic.Error(RegistryErrorCodes.SecretTransformed, $"the secret input '{name}' (format: password) reaches line {line} of the rendered template in a changed form (a filter, slice, method or test on it), which masking cannot find; render a secret only as it is ({{{{ ...inputs.{name} }}}})", path, 0, 0);
            }
        }

        if (diagnostics.Count > 0)
        {
            throw new ProtonValidationException(RegistryErrorCodes.SecretTransformed, diagnostics);
        }

        // What CloudFormation would refuse at deploy time, refused here: text that is not a template, and references to
        // resources or parameters the template does not define.
        foreach (var rendered in texts.Where(t => bundle.Part(t.Part)?.ProvisioningMethod == ProvisioningMethod.CloudFormation))
        {
            Provisioning.CloudFormationTemplate template;
            try
            {
                template = Provisioning.CloudFormationTemplate.Parse(rendered.Text, rendered.Path);
            }
            catch (ProtonValidationException ex)
            {
                diagnostics.AddRange(ex.Diagnostics.Select(d => d with { Message = $"the rendered template is not a CloudFormation template: {d.Message}", File = rendered.Path }));
                continue;
            }

            foreach (var (place, target, line) in Provisioning.CloudFormationReferences.FindUnknown(template))
            {
                diagnostics.Add(Diagnostic.Error(RegistryErrorCodes.UnknownReference, $"{place} refers to '{target}', which is neither a resource, a parameter nor a pseudo parameter of the rendered template", rendered.Path, line, 0));
            }
        }

        if (diagnostics.Count > 0)
        {
            throw new ProtonValidationException(RegistryErrorCodes.InvalidTemplate, diagnostics);
        }

        return texts;
    }

    /// <summary>
    /// The global names of a part's templates that lead to secret inputs: <c>environment.inputs</c> (environment templates),
    /// <c>service_instance.inputs</c> (instance and component templates), <c>pipeline.inputs</c> and <c>service_instances[i].inputs</c>
    /// (pipeline templates). Null when the part's templates see no secret.
    /// </summary>
    private static SecretShape? SecretGlobals(InfrastructurePartKind kind, ParameterSchema schema)
    {
        static SecretShape? Inputs(SchemaInputType? type)
            => type?.Properties.Where(p => p.IsSecret).Select(p => p.Name).ToList() is { Count: > 0 } names
                ? SecretShape.Map([new("inputs", SecretShape.Inputs(names))])
                : null;

        var globals = new Dictionary<string, SecretShape>(StringComparer.Ordinal);
        switch (kind)
        {
            case InfrastructurePartKind.Infrastructure:
                if (Inputs(schema.EnvironmentInput) is { } environment)
                {
                    globals["environment"] = environment;
                }

                break;
            case InfrastructurePartKind.PipelineInfrastructure:
                if (Inputs(schema.PipelineInput) is { } pipeline)
                {
                    globals["pipeline"] = pipeline;
                }

                if (Inputs(schema.ServiceInput) is { } each)
                {
                    globals["service_instances"] = SecretShape.List(each);
                }

                break;
            default:
                if (Inputs(schema.ServiceInput) is { } instance)
                {
                    globals["service_instance"] = instance;
                }

                break;
        }

        return globals.Count == 0 ? null : SecretShape.Map(globals);
    }

    private static List<Diagnostic> StaticSecretUses(ITemplateRenderer renderer, BundleFile file, SecretShape globals)
    {
        List<JNode> body;
        try
        {
            var depth = renderer is TemplateRenderer own ? own.Options.MaxNestingDepth : new RenderOptions().MaxNestingDepth;
            body = JinjaParser.Parse(JinjaLexer.Normalize(file.Text), depth);
        }
        catch (JinjaSyntaxException ex)
        {
            // The renderer compiled it but Proton.Sdk's parser does not: its use of secrets cannot be checked.
            return [Diagnostic.Error(RegistryErrorCodes.SecretTransformed, $"the template sees secret inputs ({Quoted(globals.SecretNames())}) and its use of them cannot be checked: {ex.Message}", file.Path, ex.Line, ex.Column)];
        }

        return JinjaSecretCheck.Check(body, globals).Select(use =>
        {
            var message = use.Whole
                ? $"an object holding the secret input{(use.Inputs.Count == 1 ? string.Empty : "s")} {Quoted(use.Inputs)} (format: password) is {use.What}, which reaches a secret without its static name; refer to each input by name (...inputs.NAME)"
                : $"the secret input {Quoted(use.Inputs)} (format: password) is {use.What}; masking only finds a secret printed as it is, so a template may only print it whole ({{{{ ...inputs.{use.Inputs[0]} }}}}, optionally |default(...) or |safe) and may not branch on, transform or copy it";
            return Diagnostic.Error(RegistryErrorCodes.SecretTransformed, message, file.Path, use.Line, use.Column);
        }).ToList();
    }

    private static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    // Two test values for a secret: different lengths, both cases, a quote (|tojson escapes it) and a dash (|join adds them).
    private static readonly string[] SecretProbes = ["Sx\"k-aBcDeFgHiJ", "Tq\"m-zYxWvUtSrQpOnM9"];

    private static int FirstDifferentLine(string a, string b)
    {
        var left = a.Split('\n');
        var right = b.Split('\n');
        var i = 0;
        while (i < left.Length && i < right.Length && left[i] == right[i])
        {
            i++;
        }

        return i + 1;
    }

    /// <summary>Defaults where the schema gives them; otherwise a value that satisfies the type (and example or enum when given).</summary>
    private static Dictionary<string, object?> Synthetic(SchemaInputType? type)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in type?.Properties ?? [])
        {
            values[p.Name] = p.HasDefault && ValueRules.Check(p, p.Default).Count == 0 ? p.Default
                : p.Example is { } example && ValueRules.Check(p, example).Count == 0 ? example
                : p.Enum is { Count: > 0 } e ? e[0]
                : p.Type switch
                {
                    SchemaValueType.String => new string('x', Math.Max(1, p.MinLength ?? 1)),
                    SchemaValueType.Number or SchemaValueType.Integer => (long)Math.Ceiling(p.Minimum ?? 1),
                    SchemaValueType.Boolean => false,
                    _ => new List<object?>(),
                };
        }

        return values;
    }
}

/// <summary>
/// Outputs not known before a deployment: every name answers <c>OUT_name</c> (and the set counts as empty), except the
/// ones given as known (a template tester's instance outputs whose rendered value is a literal).
/// </summary>
internal sealed class PlaceholderOutputs(IReadOnlyDictionary<string, string>? known = null) : IReadOnlyDictionary<string, string>, Rendering.IPlaceholderValues
{
    public PlaceholderOutputs()
        : this(null)
    {
    }

    public string this[string key] => known is not null && known.TryGetValue(key, out var v) ? v : "OUT_" + key;

    public IEnumerable<string> Keys => [];

    public IEnumerable<string> Values => [];

    public int Count => 0;

    public bool ContainsKey(string key) => true;

    public bool TryGetValue(string key, out string value)
    {
        value = this[key];
        return true;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Enumerable.Empty<KeyValuePair<string, string>>().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public IReadOnlyDictionary<string, object?> AsValues() => new PlaceholderValues(this);

    private sealed class PlaceholderValues(PlaceholderOutputs outputs) : IReadOnlyDictionary<string, object?>, Rendering.IPlaceholderValues
    {
        public object? this[string key] => outputs[key];

        public IEnumerable<string> Keys => [];

        public IEnumerable<object?> Values => [];

        public int Count => 0;

        public bool ContainsKey(string key) => true;

        public bool TryGetValue(string key, out object? value)
        {
            value = outputs[key];
            return true;
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Enumerable.Empty<KeyValuePair<string, object?>>().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public IReadOnlyDictionary<string, object?> AsValues() => this;
    }
}
