using System.Globalization;

namespace Proton.Sdk.Schema;

/// <summary>Compares two schemas of the same template and classifies every change (Proton's minor/major rule, made explicit).</summary>
public static class SchemaDiff
{
    /// <summary>Compares an old schema with a new one.</summary>
    /// <param name="previous">The schema of the version running today.</param>
    /// <param name="next">The schema of the candidate version.</param>
    /// <returns>Every change and the bump it needs.</returns>
    public static SchemaDiffResult Compare(ParameterSchema previous, ParameterSchema next)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        var changes = new List<SchemaChange>();
        foreach (var (kind, label, key) in new[]
        {
            (InputKind.Environment, "environment", "environment_input_type"),
            (InputKind.ServiceInstance, "service", "service_input_type"),
            (InputKind.Pipeline, "pipeline", "pipeline_input_type"),
        })
        {
            var a = previous.InputType(kind);
            var b = next.InputType(kind);
            if (a is null && b is null)
            {
                continue;
            }

            if (a is null)
            {
                changes.Add(new(ChangeImpact.Breaking, key, "input-type-added", kind == InputKind.Pipeline
                    ? "a pipeline input type was added: services on the old version have no pipeline inputs"
                    : $"{key} was added"));
                continue;
            }

            if (b is null)
            {
                changes.Add(new(ChangeImpact.Breaking, key, "input-type-removed", $"{key} was removed"));
                continue;
            }

            CompareType(label, a, b, changes);
        }

        return new SchemaDiffResult(changes);
    }

    private static void CompareType(string label, SchemaInputType a, SchemaInputType b, List<SchemaChange> changes)
    {
        foreach (var old in a.Properties)
        {
            var path = $"{label}.{old.Name}";
            var now = b.Property(old.Name);
            if (now is null)
            {
                changes.Add(new(ChangeImpact.Breaking, path, "input-removed", $"input '{old.Name}' was removed; specs that set it become invalid"));
                continue;
            }

            CompareRequired(path, a, b, old, now, changes);
            CompareProperty(path, old, now, b.Required.Contains(now.Name), changes);
        }

        foreach (var added in b.Properties.Where(p => a.Property(p.Name) is null))
        {
            var path = $"{label}.{added.Name}";
            if (b.MustBeGiven(added.Name))
            {
                changes.Add(new(ChangeImpact.Breaking, path, "required-input-added", $"new required input '{added.Name}' has no default; existing specs do not set it"));
            }
            else
            {
                changes.Add(new(ChangeImpact.Additive, path, "input-added", b.Required.Contains(added.Name)
                    ? $"new required input '{added.Name}' with default {Show(added.Default)}"
                    : $"new optional input '{added.Name}'"));
            }
        }

        if (a.Description != b.Description)
        {
            changes.Add(new(ChangeImpact.None, label, "description-changed", "the input type's description changed"));
        }
    }

    private static void CompareRequired(string path, SchemaInputType a, SchemaInputType b, SchemaProperty old, SchemaProperty now, List<SchemaChange> changes)
    {
        var wasGiven = a.MustBeGiven(old.Name);
        var mustBeGiven = b.MustBeGiven(now.Name);
        if (!wasGiven && mustBeGiven)
        {
            var why = old.HasDefault && !now.HasDefault && b.Required.Contains(now.Name)
                ? $"the default of required input '{now.Name}' was removed"
                : $"input '{now.Name}' became required without a default";
            changes.Add(new(ChangeImpact.Breaking, path, old.HasDefault && !now.HasDefault ? "default-removed" : "became-required", why));
        }
        else if (wasGiven && !mustBeGiven)
        {
            changes.Add(new(ChangeImpact.Additive, path, "became-optional", $"input '{now.Name}' no longer has to be given"));
        }
    }

    private static void CompareProperty(string path, SchemaProperty old, SchemaProperty now, bool requiredNow, List<SchemaChange> changes)
    {
        void Add(ChangeImpact impact, string code, string reason) => changes.Add(new(impact, path, code, reason));

        if (old.Type != now.Type)
        {
            if (old.Type == SchemaValueType.Integer && now.Type == SchemaValueType.Number)
            {
                Add(ChangeImpact.Additive, "type-relaxed", "type changed from integer to number (every integer is still valid)");
            }
            else
            {
                Add(ChangeImpact.Breaking, "type-changed", $"type changed from {Name(old.Type)} to {Name(now.Type)}");
                return;
            }
        }

        if (old.Items is not null && now.Items is not null)
        {
            if (old.Items.Type != now.Items.Type)
            {
                Add(ChangeImpact.Breaking, "items-type-changed", $"item type changed from {Name(old.Items.Type)} to {Name(now.Items.Type)}");
            }
            else
            {
                CompareConstraints(path + ".items", old.Items, now.Items, changes);
            }
        }

        CompareConstraints(path, old, now, changes);

        if (old.HasDefault && now.HasDefault && !ValueRules.Same(old.Default, now.Default))
        {
            Add(ChangeImpact.Additive, "default-changed", $"default changed from {Show(old.Default)} to {Show(now.Default)}: resources that rely on it get the new value on their next deployment");
        }
        else if (!old.HasDefault && now.HasDefault)
        {
            Add(ChangeImpact.Additive, "default-added", $"default {Show(now.Default)} was added");
        }
        else if (old.HasDefault && !now.HasDefault && !requiredNow)
        {
            // Breaking only when the input is required (handled by CompareRequired); an optional input simply loses its value.
            Add(ChangeImpact.Additive, "default-removed", $"the default of optional input '{now.Name}' was removed");
        }

        if (old.IsSecret != now.IsSecret)
        {
            Add(ChangeImpact.None, "secret-changed", now.IsSecret ? "the input is now secret (format: password)" : "the input is no longer secret");
        }
        else if (old.Format != now.Format)
        {
            Add(ChangeImpact.None, "format-changed", $"format changed from {old.Format ?? "none"} to {now.Format ?? "none"} (informational)");
        }

        if (old.Title != now.Title)
        {
            Add(ChangeImpact.None, "title-changed", "title changed");
        }

        if (old.Description != now.Description)
        {
            Add(ChangeImpact.None, "description-changed", "description changed");
        }

        if (!ValueRules.Same(old.Example, now.Example))
        {
            Add(ChangeImpact.None, "example-changed", "example changed");
        }
    }

    private static void CompareConstraints(string path, SchemaProperty old, SchemaProperty now, List<SchemaChange> changes)
    {
        void Add(ChangeImpact impact, string code, string reason) => changes.Add(new(impact, path, code, reason));

        // enum
        if (old.Enum is null && now.Enum is not null)
        {
            Add(ChangeImpact.Breaking, "enum-added", $"values are now restricted to {string.Join(", ", now.Enum.Select(Show))}");
        }
        else if (old.Enum is not null && now.Enum is null)
        {
            Add(ChangeImpact.Additive, "enum-removed", "values are no longer restricted to a list");
        }
        else if (old.Enum is not null && now.Enum is not null)
        {
            foreach (var removed in old.Enum.Where(v => !now.Enum.Any(n => ValueRules.Same(n, v))))
            {
                Add(ChangeImpact.Breaking, "enum-value-removed", $"allowed value {Show(removed)} was removed");
            }

            foreach (var added in now.Enum.Where(v => !old.Enum.Any(o => ValueRules.Same(o, v))))
            {
                Add(ChangeImpact.Additive, "enum-value-added", $"allowed value {Show(added)} was added");
            }
        }

        // pattern
        if (old.Pattern != now.Pattern)
        {
            if (now.Pattern is null)
            {
                Add(ChangeImpact.Additive, "pattern-removed", $"pattern {old.Pattern} was removed");
            }
            else if (old.Pattern is null)
            {
                Add(ChangeImpact.Breaking, "pattern-added", $"pattern {now.Pattern} was added");
            }
            else
            {
                Add(ChangeImpact.Breaking, "pattern-changed", $"pattern changed from {old.Pattern} to {now.Pattern} (values valid before may not match)");
            }
        }

        Bound(path, "minimum", old.Minimum, old.ExclusiveMinimum, now.Minimum, now.ExclusiveMinimum, lower: true, changes);
        Bound(path, "maximum", old.Maximum, old.ExclusiveMaximum, now.Maximum, now.ExclusiveMaximum, lower: false, changes);
        Bound(path, "minLength", old.MinLength, false, now.MinLength, false, lower: true, changes);
        Bound(path, "maxLength", old.MaxLength, false, now.MaxLength, false, lower: false, changes);
        Bound(path, "minItems", old.MinItems, false, now.MinItems, false, lower: true, changes);
        Bound(path, "maxItems", old.MaxItems, false, now.MaxItems, false, lower: false, changes);
        if (old.UniqueItems != now.UniqueItems)
        {
            Add(now.UniqueItems ? ChangeImpact.Breaking : ChangeImpact.Additive, now.UniqueItems ? "unique-items-added" : "unique-items-removed",
                now.UniqueItems ? "items must now be distinct" : "items no longer have to be distinct");
        }
    }

    /// <summary>A lower bound raised or an upper bound lowered tightens (breaking); the reverse relaxes (additive).</summary>
    private static void Bound(string path, string keyword, double? oldValue, bool oldExclusive, double? newValue, bool newExclusive, bool lower, List<SchemaChange> changes)
    {
        if (oldValue == newValue && oldExclusive == newExclusive)
        {
            return;
        }

        var code = keyword.ToLowerInvariant();
        if (newValue is null)
        {
            changes.Add(new(ChangeImpact.Additive, path, $"{code}-removed", $"{keyword} {Num(oldValue)} was removed"));
            return;
        }

        if (oldValue is null)
        {
            changes.Add(new(ChangeImpact.Breaking, path, $"{code}-added", $"{keyword} {Num(newValue)} was added"));
            return;
        }

        // Compare as (value, exclusive): for a lower bound, a higher value or becoming exclusive at the same value is tighter.
        var tighter = lower
            ? newValue > oldValue || (newValue == oldValue && newExclusive && !oldExclusive)
            : newValue < oldValue || (newValue == oldValue && newExclusive && !oldExclusive);
        changes.Add(tighter
            ? new(ChangeImpact.Breaking, path, $"{code}-tightened", $"{keyword} changed from {Num(oldValue)}{(oldExclusive ? " (exclusive)" : string.Empty)} to {Num(newValue)}{(newExclusive ? " (exclusive)" : string.Empty)}, which refuses values allowed before")
            : new(ChangeImpact.Additive, path, $"{code}-relaxed", $"{keyword} changed from {Num(oldValue)}{(oldExclusive ? " (exclusive)" : string.Empty)} to {Num(newValue)}{(newExclusive ? " (exclusive)" : string.Empty)}"));
    }

    private static string Num(double? d) => d?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private static string Name(SchemaValueType t) => t.ToString().ToLowerInvariant();

    private static string Show(object? v) => v switch
    {
        null => "null",
        string s => $"'{s}'",
        bool b => b ? "true" : "false",
        IReadOnlyList<object?> l => "[" + string.Join(", ", l.Select(Show)) + "]",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
