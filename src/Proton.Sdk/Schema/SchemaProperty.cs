using Proton.Sdk.Templates;

namespace Proton.Sdk.Schema;

/// <summary>One input parameter (a property of an input type). Immutable.</summary>
public sealed record SchemaProperty
{
    /// <summary>The input's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its type.</summary>
    public required SchemaValueType Type { get; init; }

    /// <summary>The console label.</summary>
    public string? Title { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>True when the schema gives a default (which may be null).</summary>
    public bool HasDefault { get; init; }

    /// <summary>The default value.</summary>
    public object? Default { get; init; }

    /// <summary>The allowed values, or null.</summary>
    public IReadOnlyList<object?>? Enum { get; init; }

    /// <summary>An ECMAScript regular expression strings must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>The lower bound of numbers.</summary>
    public double? Minimum { get; init; }

    /// <summary>The upper bound of numbers.</summary>
    public double? Maximum { get; init; }

    /// <summary>True when <see cref="Minimum"/> itself is excluded.</summary>
    public bool ExclusiveMinimum { get; init; }

    /// <summary>True when <see cref="Maximum"/> itself is excluded.</summary>
    public bool ExclusiveMaximum { get; init; }

    /// <summary>The shortest string.</summary>
    public int? MinLength { get; init; }

    /// <summary>The longest string.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The fewest array items.</summary>
    public int? MinItems { get; init; }

    /// <summary>The most array items.</summary>
    public int? MaxItems { get; init; }

    /// <summary>True when array items must be distinct.</summary>
    public bool UniqueItems { get; init; }

    /// <summary>The item schema of an array.</summary>
    public SchemaProperty? Items { get; init; }

    /// <summary>An example value (informational).</summary>
    public object? Example { get; init; }

    /// <summary>The <c>format</c> keyword; <c>password</c> marks a secret.</summary>
    public string? Format { get; init; }

    /// <summary>True for <c>format: password</c>: the value never appears in logs, diagnostics or records.</summary>
    public bool IsSecret => string.Equals(Format, "password", StringComparison.Ordinal);

    /// <summary>Where the property is defined in schema.yaml.</summary>
    public SourceLocation Location { get; init; }
}
