namespace Proton.Sdk.Schema;

/// <summary>A named input type: <c>type: object</c> with properties and <c>required</c>. Immutable.</summary>
public sealed record SchemaInputType
{
    /// <summary>The type's name under <c>types</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>The properties in schema order.</summary>
    public required IReadOnlyList<SchemaProperty> Properties { get; init; }

    /// <summary>The names listed in <c>required</c>.</summary>
    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>The property with this name, or null.</summary>
    /// <param name="name">The input name.</param>
    /// <returns>The property or null.</returns>
    public SchemaProperty? Property(string name) => Properties.FirstOrDefault(p => p.Name == name);

    /// <summary>True when the input must be given (required and without a default).</summary>
    /// <param name="name">The input name.</param>
    /// <returns>Whether it must be given.</returns>
    public bool MustBeGiven(string name) => Required.Contains(name) && Property(name) is { HasDefault: false };
}
