using FluentValidation;
using Proton.Sdk.Internal;
using Proton.Sdk.Templates;
using FvFailure = FluentValidation.Results.ValidationFailure;

namespace Proton.Sdk.Schema;

/// <summary>
/// Validates inputs and spec files against a <see cref="ParameterSchema"/>: every failure at once, each with a path and a
/// stable code; defaults applied; <c>${Proton::CURRENT_VAL}</c> resolved on updates. FluentValidation does the work
/// inside: one validator, built once per process, checks any schema's inputs (the schema travels with the document).
/// Thread-safe.
/// </summary>
public sealed class SpecValidator
{
    private readonly ParameterSchema _schema;
    private readonly SpecValidationOptions _options;

    /// <summary>Creates a validator for a schema.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="options">Options; defaults when null.</param>
    public SpecValidator(ParameterSchema schema, SpecValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _schema = schema;
        _options = options ?? new SpecValidationOptions();
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
        using var budget = RegexBudget.Begin();
        var type = _schema.InputType(kind);
        if (type is null)
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
                    IsSecret = type.Property(name)?.IsSecret ?? false,
                });
            }
        }

        var document = new InputDocument(type, resolved, failures.Select(f => f.Path[(path.Length + 1)..]).ToHashSet(StringComparer.Ordinal), !_options.IgnoreUnknownInputs);
        foreach (var f in DocumentValidator.Instance.Validate(document))
        {
            var property = type.Property(f.PropertyName);
            var secret = property?.IsSecret ?? false;
            var attempted = f.AttemptedValue is InputDocument.Slot slot ? slot.Raw : f.AttemptedValue;
            failures.Add(new InputValidationFailure($"{path}.{f.PropertyName}", f.ErrorCode, f.ErrorMessage)
            {
                AttemptedValue = secret ? InputValues.Mask : attempted,
                IsSecret = secret,
            });
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in type.Properties)
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

        return new InputValidationResult(new InputValues(values, type.Properties.Where(p => p.IsSecret).Select(p => p.Name)), []);
    }

    /// <summary>Validates a whole spec file: its inputs, every instance and the pipeline.</summary>
    /// <param name="spec">The spec.</param>
    /// <param name="current">Current inputs on an update; null on create.</param>
    /// <returns>The typed values of every part, or every failure.</returns>
    public SpecValidationResult Validate(ProtonSpec spec, CurrentInputs? current = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var budget = RegexBudget.Begin();
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

    /// <summary>The inputs of one document: one slot per schema property (looked up and converted once), and the unknown names.</summary>
    internal sealed class InputDocument
    {
        private readonly Dictionary<string, Slot> _byName = new(StringComparer.Ordinal);

        public InputDocument(SchemaInputType type, IReadOnlyDictionary<string, object?> inputs, HashSet<string> alreadyFailed, bool rejectUnknown)
        {
            var slots = new List<Slot>(type.Properties.Count);
            foreach (var p in type.Properties)
            {
                Slot slot;
                if (alreadyFailed.Contains(p.Name))
                {
                    slot = new Slot(p, false, true, null, null, true, Skip: true);
                }
                else if (inputs.TryGetValue(p.Name, out var raw) && raw is not null)
                {
                    var ok = ValueRules.TryCoerce(p, p.Type, raw, out var value);
                    slot = new Slot(p, type.MustBeGiven(p.Name), true, raw, value, ok);
                }
                else
                {
                    slot = new Slot(p, type.MustBeGiven(p.Name), false, null, null, true);
                }

                slots.Add(slot);
                _byName[p.Name] = slot;
            }

            Slots = slots;
            Unknown = rejectUnknown
                ? inputs.Where(kv => type.Property(kv.Key) is null).Select(kv => new UnknownInput(kv.Key, kv.Value, type)).ToList()
                : [];
        }

        public IReadOnlyList<Slot> Slots { get; }

        public IReadOnlyList<UnknownInput> Unknown { get; }

        public Slot Get(string name) => _byName[name];

        /// <summary>One input: its property, whether it was given (null counts as not given), the raw and converted value.</summary>
        public sealed record Slot(SchemaProperty Property, bool MustBeGiven, bool Present, object? Raw, object? Value, bool TypeOk, bool Skip = false)
        {
            public Slot Self => this;

            public bool Checkable => Present && !Skip && TypeOk;
        }

        /// <summary>An input the schema does not define.</summary>
        public sealed record UnknownInput(string Name, object? Value, SchemaInputType Type)
        {
            public UnknownInput Self => this;
        }
    }

    /// <summary>
    /// The FluentValidation validator of every input document. It is built once per process: everything a rule needs
    /// about the schema travels in the document's slots, so no validator is compiled per schema.
    /// </summary>
    internal sealed class DocumentValidator : AbstractValidator<InputDocument>
    {
        public static readonly DocumentValidator Instance = new();

        private DocumentValidator()
        {
            RuleForEach(d => d.Slots).OverrideIndexer((_, _, slot, _) => "[" + slot.Property.Name + "]").SetValidator(new SlotValidator());
            RuleForEach(d => d.Unknown).OverrideIndexer((_, _, u, _) => "[" + u.Name + "]").SetValidator(new UnknownValidator());
        }

        /// <summary>Validates and returns the failures with the input's name as property name.</summary>
        public new IEnumerable<FvFailure> Validate(InputDocument document)
        {
            foreach (var error in base.Validate(document).Errors)
            {
                var open = error.PropertyName.IndexOf('[', StringComparison.Ordinal);
                var close = error.PropertyName.IndexOf(']', open + 1);
                error.PropertyName = error.PropertyName[(open + 1)..close];
                if (error.ErrorCode == "schema.keyword" && error.CustomState is string code)
                {
                    error.ErrorCode = code;
                }

                if (error.AttemptedValue is InputDocument.Slot slot)
                {
                    error.AttemptedValue = slot.Raw;
                }
                else if (error.AttemptedValue is InputDocument.UnknownInput unknown)
                {
                    error.AttemptedValue = unknown.Value;
                }

                yield return error;
            }
        }
    }

    /// <summary>Presence, type, then every keyword of one input.</summary>
    internal sealed class SlotValidator : AbstractValidator<InputDocument.Slot>
    {
        public SlotValidator()
        {
            RuleFor(s => s.Self)
                .Cascade(CascadeMode.Stop)
                .Must(s => s.Present || !s.MustBeGiven)
                .WithErrorCode("schema.required")
                .WithMessage(s => $"'{s.Property.Name}' is required{(s.Property.Title is null ? string.Empty : $" ({s.Property.Title})")}.")
                .Must(s => !s.Present || s.Skip || s.TypeOk)
                .WithErrorCode("schema.type")
                .WithMessage(s => $"'{s.Property.Name}' {ValueRules.TypeFailure(s.Property, s.Raw).Message}.");

            // Every keyword is checked and reported once the value has the right type.
            RuleFor(s => s.Self)
                .Custom((s, context) =>
                {
                    foreach (var check in ValueRules.Keywords)
                    {
                        if (check(s.Property, s.Value) is { } failure)
                        {
                            context.AddFailure(new FvFailure(context.PropertyPath, $"'{s.Property.Name}' {failure.Message}.", s)
                            {
                                ErrorCode = failure.Code,
                            });
                        }
                    }
                })
                .When(s => s.Checkable);
        }
    }

    /// <summary>Rejects an input the schema does not define, with a "did you mean" suggestion.</summary>
    internal sealed class UnknownValidator : AbstractValidator<InputDocument.UnknownInput>
    {
        public UnknownValidator()
        {
            RuleFor(u => u.Self)
                .Must(_ => false)
                .WithErrorCode("schema.unknown-input")
                .WithMessage(u =>
                {
                    var suggestion = Suggest(u.Name, u.Type.Properties.Select(q => q.Name));
                    return $"'{u.Name}' is not an input of {u.Type.Name}.{(suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?")}";
                });
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
