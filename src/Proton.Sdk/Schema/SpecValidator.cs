using System.Runtime.CompilerServices;
using FluentValidation;
using Proton.Sdk.Templates;
using FvFailure = FluentValidation.Results.ValidationFailure;

namespace Proton.Sdk.Schema;

/// <summary>
/// Validates inputs and spec files against a <see cref="ParameterSchema"/>: every failure at once, each with a path and a
/// stable code; defaults applied; <c>${Proton::CURRENT_VAL}</c> resolved on updates. FluentValidation does the work
/// inside (one validator per input type, built once per schema and cached). Thread-safe.
/// </summary>
public sealed class SpecValidator
{
    private static readonly ConditionalWeakTable<ParameterSchema, Dictionary<(InputKind, bool), InputTypeValidator?>> Cache = new();

    private readonly ParameterSchema _schema;
    private readonly SpecValidationOptions _options;
    private readonly Dictionary<(InputKind, bool), InputTypeValidator?> _validators;

    /// <summary>Creates a validator for a schema.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="options">Options; defaults when null.</param>
    public SpecValidator(ParameterSchema schema, SpecValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _schema = schema;
        _options = options ?? new SpecValidationOptions();
        _validators = Cache.GetValue(schema, s =>
        {
            var d = new Dictionary<(InputKind, bool), InputTypeValidator?>();
            foreach (var kind in Enum.GetValues<InputKind>())
            {
                foreach (var ignore in new[] { false, true })
                {
                    d[(kind, ignore)] = s.InputType(kind) is { } type ? new InputTypeValidator(type, rejectUnknown: !ignore) : null;
                }
            }

            return d;
        });
    }

    /// <summary>Validates one set of inputs.</summary>
    /// <param name="kind">Which input type.</param>
    /// <param name="inputs">The inputs as given.</param>
    /// <param name="path">The path prefix for failures (<c>spec</c>, <c>instances[0].spec</c>, <c>pipeline</c>).</param>
    /// <param name="current">Current inputs on an update (for <c>${Proton::CURRENT_VAL}</c>); null on create.</param>
    /// <returns>The typed values or the failures.</returns>
    public InputValidationResult ValidateInputs(InputKind kind, IReadOnlyDictionary<string, object?> inputs, string path, IReadOnlyDictionary<string, object?>? current = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(path);
        var validator = _validators[(kind, _options.IgnoreUnknownInputs)];
        if (validator is null)
        {
            if (inputs.Count == 0 || _options.IgnoreUnknownInputs)
            {
                return new InputValidationResult(InputValues.Empty, []);
            }

            var what = kind == InputKind.Pipeline ? "the template has no pipeline" : $"the schema has no {(kind == InputKind.Environment ? "environment" : "service")}_input_type";
            return new InputValidationResult(null, [new InputValidationFailure(path, "schema.unknown-input", $"'{path}' gives inputs, but {what}.")]);
        }

        var failures = new List<InputValidationFailure>();
        var resolved = new Dictionary<string, object?>(inputs.Count, StringComparer.Ordinal);
        foreach (var (name, value) in inputs)
        {
            if (!ProtonSpec.IsCurrentValue(value))
            {
                resolved[name] = value;
                continue;
            }

            if (current is not null && current.TryGetValue(name, out var kept))
            {
                resolved[name] = kept;
            }
            else
            {
                failures.Add(new InputValidationFailure($"{path}.{name}", "schema.current-value", current is null
                    ? $"${{Proton::CURRENT_VAL}} keeps the current value on an update; '{name}' has no current value when a resource is created."
                    : $"${{Proton::CURRENT_VAL}} keeps the current value, but '{name}' has none.")
                {
                    AttemptedValue = value,
                    IsSecret = validator.Type.Property(name)?.IsSecret ?? false,
                });
            }
        }

        var document = new InputDocument(validator.Type, resolved, failures.Select(f => f.Path[(path.Length + 1)..]).ToHashSet(StringComparer.Ordinal));
        var result = validator.Validate(document);
        foreach (var f in result.Errors)
        {
            var property = validator.Type.Property(f.PropertyName);
            var secret = property?.IsSecret ?? false;
            var attempted = f.AttemptedValue is InputDocument.Slot slot ? slot.Raw : f.AttemptedValue;
            failures.Add(new InputValidationFailure($"{path}.{f.PropertyName}", f.ErrorCode, f.ErrorMessage)
            {
                AttemptedValue = secret ? InputValues.Mask : attempted,
                IsSecret = secret,
            });
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in validator.Type.Properties)
        {
            var slot = document.Get(p.Name);
            if (slot.Present)
            {
                values[p.Name] = slot.Value;
            }
            else if (p.HasDefault)
            {
                if (ValueRules.Check(p, p.Default) is { Count: > 0 } bad)
                {
                    failures.Add(new InputValidationFailure($"{path}.{p.Name}", "schema.default-invalid",
                        $"'{p.Name}' is not set and its default does not satisfy the schema ({bad[0].Message}); set it in the spec.")
                    {
                        AttemptedValue = p.IsSecret ? InputValues.Mask : p.Default,
                        IsSecret = p.IsSecret,
                    });
                }
                else
                {
                    ValueRules.TryCoerce(p, p.Type, p.Default, out var d);
                    values[p.Name] = d;
                }
            }
        }

        if (failures.Count > 0)
        {
            return new InputValidationResult(null, failures);
        }

        return new InputValidationResult(new InputValues(values, validator.Type.Properties.Where(p => p.IsSecret).Select(p => p.Name)), []);
    }

    /// <summary>Validates a whole spec file: its inputs, every instance and the pipeline.</summary>
    /// <param name="spec">The spec.</param>
    /// <param name="current">Current inputs on an update; null on create.</param>
    /// <returns>The typed values of every part, or every failure.</returns>
    public SpecValidationResult Validate(ProtonSpec spec, CurrentInputs? current = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var failures = new List<InputValidationFailure>();
        switch (spec)
        {
            case EnvironmentSpec env:
                if (_schema.EnvironmentInput is null)
                {
                    failures.Add(new InputValidationFailure("proton", "schema.spec-kind", "An EnvironmentSpec needs an environment template; this schema is a service template's."));
                    return new SpecValidationResult { Failures = failures };
                }

                var e = ValidateInputs(InputKind.Environment, env.Spec, "spec", current?.Environment);
                return new SpecValidationResult { Environment = e.Values, Failures = e.Failures };
            case ServiceSpec svc:
                if (_schema.ServiceInput is null)
                {
                    failures.Add(new InputValidationFailure("proton", "schema.spec-kind", "A ServiceSpec needs a service template; this schema is an environment template's."));
                    return new SpecValidationResult { Failures = failures };
                }

                var instances = new Dictionary<string, InputValues>(StringComparer.Ordinal);
                for (var i = 0; i < svc.Instances.Count; i++)
                {
                    var inst = svc.Instances[i];
                    var previous = current is not null && current.Instances.TryGetValue(inst.Name, out var prev) ? prev : null;
                    var r = ValidateInputs(InputKind.ServiceInstance, inst.Spec, $"instances[{i}].spec", previous);
                    failures.AddRange(r.Failures);
                    if (r.Values is not null)
                    {
                        instances[inst.Name] = r.Values;
                    }
                }

                InputValues? pipeline = null;
                if (svc.Pipeline is not null || _schema.PipelineInput is not null)
                {
                    var p = ValidateInputs(InputKind.Pipeline, svc.Pipeline ?? new Dictionary<string, object?>(), "pipeline", current?.Pipeline);
                    failures.AddRange(p.Failures);
                    pipeline = p.Values;
                }

                return new SpecValidationResult { Instances = instances, Pipeline = pipeline, Failures = failures };
            default:
                throw new ArgumentException($"Unknown spec type {spec.GetType().Name}.", nameof(spec));
        }
    }

    /// <summary>The inputs of one document with each property's value looked up and converted once.</summary>
    internal sealed class InputDocument
    {
        private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);

        public InputDocument(SchemaInputType type, IReadOnlyDictionary<string, object?> inputs, HashSet<string> alreadyFailed)
        {
            Inputs = inputs;
            AlreadyFailed = alreadyFailed;
            foreach (var p in type.Properties)
            {
                if (alreadyFailed.Contains(p.Name))
                {
                    _slots[p.Name] = new Slot(true, null, null, true, Skip: true);
                }
                else if (inputs.TryGetValue(p.Name, out var raw) && raw is not null)
                {
                    var ok = ValueRules.TryCoerce(p, p.Type, raw, out var value);
                    _slots[p.Name] = new Slot(true, raw, value, ok);
                }
                else
                {
                    _slots[p.Name] = new Slot(false, null, null, true);
                }
            }
        }

        public IReadOnlyDictionary<string, object?> Inputs { get; }

        public HashSet<string> AlreadyFailed { get; }

        public Slot Get(string name) => _slots[name];

        /// <summary>One input: whether it was given (null counts as not given), the raw and converted value.</summary>
        public sealed record Slot(bool Present, object? Raw, object? Value, bool TypeOk, bool Skip = false);
    }

    /// <summary>The FluentValidation validator of one input type.</summary>
    internal sealed class InputTypeValidator : AbstractValidator<InputDocument>
    {
        public InputTypeValidator(SchemaInputType type, bool rejectUnknown)
        {
            Type = type;
            foreach (var property in type.Properties)
            {
                var p = property;
                var mustBeGiven = type.MustBeGiven(p.Name);
                var rule = RuleFor(d => d.Get(p.Name))
                    .Cascade(CascadeMode.Stop)
                    .Must(s => s.Present || !mustBeGiven)
                    .WithErrorCode("schema.required")
                    .WithMessage($"'{p.Name}' is required{(p.Title is null ? string.Empty : $" ({p.Title})")}.")
                    .Must(s => !s.Present || s.Skip || s.TypeOk)
                    .WithErrorCode("schema.type")
                    .WithMessage((_, s) => $"'{p.Name}' {ValueRules.TypeFailure(p, s.Raw).Message}.");
                foreach (var check in ValueRules.Keywords)
                {
                    rule = rule
                        .Must(s => !s.Present || s.Skip || check(p, s.Value) is null)
                        .WithErrorCode("schema.keyword")
                        .WithMessage((_, s) => $"'{p.Name}' {check(p, s.Value)!.Value.Message}.")
                        .WithState((_, s) => check(p, s.Value)?.Code!);
                }

                rule.OverridePropertyName(p.Name);
            }

            if (rejectUnknown)
            {
                RuleFor(d => d.Inputs).Custom((inputs, context) =>
                {
                    foreach (var name in inputs.Keys)
                    {
                        if (type.Property(name) is null)
                        {
                            var suggestion = Suggest(name, type.Properties.Select(q => q.Name));
                            context.AddFailure(new FvFailure(name, $"'{name}' is not an input of {type.Name}.{(suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?")}")
                            {
                                ErrorCode = "schema.unknown-input",
                                AttemptedValue = inputs[name],
                            });
                        }
                    }
                });
            }
        }

        public SchemaInputType Type { get; }

        public new FluentValidation.Results.ValidationResult Validate(InputDocument document)
        {
            var result = base.Validate(document);
            foreach (var error in result.Errors)
            {
                // Keyword checks carry their own stable code in CustomState.
                if (error.ErrorCode == "schema.keyword" && error.CustomState is string code)
                {
                    error.ErrorCode = code;
                }
            }

            return result;
        }
    }

    /// <summary>The closest name by edit distance, when it is close enough to be a likely typo.</summary>
    internal static string? Suggest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = Distance(name.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }

        return best is not null && bestDistance <= Math.Max(2, name.Length / 4) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }
}
