using System.Text;

namespace Proton.Sdk.Rendering.Jinja;

/// <summary>
/// What <see cref="JinjaSecretCheck"/> knows statically about a value that holds secret inputs: the secret itself, a map
/// (a namespace such as <c>environment</c>, or an inputs object whose listed keys are secrets), or a list whose elements
/// all have one shape (<c>service_instances</c>). A value with no shape holds no secret.
/// </summary>
internal sealed class SecretShape
{
    private SecretShape(SecretShapeKind kind, string? name, SortedDictionary<string, SecretShape>? children, SecretShape? element)
    {
        Kind = kind;
        Name = name;
        Children = children ?? new SortedDictionary<string, SecretShape>(StringComparer.Ordinal);
        Element = element;
    }

    public SecretShapeKind Kind { get; }

    /// <summary>The input's name, for <see cref="SecretShapeKind.Secret"/>.</summary>
    public string? Name { get; }

    /// <summary>The keys of a map that lead to secrets; other keys hold none.</summary>
    public SortedDictionary<string, SecretShape> Children { get; }

    /// <summary>The shape of every element of a list.</summary>
    public SecretShape? Element { get; }

    public static SecretShape Secret(string name) => new(SecretShapeKind.Secret, name, null, null);

    /// <summary>An inputs object: each name is a secret input (the other inputs hold no secret).</summary>
    public static SecretShape Inputs(IEnumerable<string> secretNames)
    {
        var children = new SortedDictionary<string, SecretShape>(StringComparer.Ordinal);
        foreach (var name in secretNames)
        {
            children[name] = Secret(name);
        }

        return new(SecretShapeKind.Inputs, null, children, null);
    }

    public static SecretShape Map(IEnumerable<KeyValuePair<string, SecretShape>> children)
        => new(SecretShapeKind.Map, null, new SortedDictionary<string, SecretShape>(children.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), StringComparer.Ordinal), null);

    public static SecretShape List(SecretShape element) => new(SecretShapeKind.List, null, null, element);

    /// <summary>Every secret input reachable from this value.</summary>
    public IReadOnlyList<string> SecretNames()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<SecretShape>();
        pending.Push(this);
        while (pending.Count > 0)
        {
            var shape = pending.Pop();
            if (shape.Kind == SecretShapeKind.Secret)
            {
                names.Add(shape.Name!);
            }

            foreach (var child in shape.Children.Values)
            {
                pending.Push(child);
            }

            if (shape.Element is not null)
            {
                pending.Push(shape.Element);
            }
        }

        return names.ToList();
    }

    /// <summary>A value that is one of two shapes (a name bound in two places): what either could reach.</summary>
    public static SecretShape? Join(SecretShape? a, SecretShape? b)
    {
        if (a is null || b is null || a.Key == b.Key)
        {
            return a ?? b;
        }

        if (a.Kind == b.Kind && a.Kind is SecretShapeKind.Map or SecretShapeKind.Inputs)
        {
            var children = new SortedDictionary<string, SecretShape>(a.Children, StringComparer.Ordinal);
            foreach (var (key, value) in b.Children)
            {
                children[key] = children.TryGetValue(key, out var mine) ? Join(mine, value)! : value;
            }

            return new(a.Kind, null, children, null);
        }

        if (a.Kind == b.Kind && a.Kind == SecretShapeKind.List)
        {
            return List(Join(a.Element, b.Element)!);
        }

        // Different kinds: a map that leads everywhere either did, and refuses everything but static names.
        var merged = new SortedDictionary<string, SecretShape>(StringComparer.Ordinal);
        foreach (var shape in new[] { a, b })
        {
            foreach (var (key, value) in shape.Children)
            {
                merged[key] = merged.TryGetValue(key, out var mine) ? Join(mine, value)! : value;
            }
        }

        foreach (var name in a.SecretNames().Concat(b.SecretNames()).Where(n => !merged.ContainsKey(n)))
        {
            merged[name] = Secret(name);
        }

        return new(SecretShapeKind.Inputs, null, merged, null);
    }

    /// <summary>A canonical text of the shape, for comparing two shapes.</summary>
    public string Key
    {
        get
        {
            var sb = new StringBuilder();
            Write(sb);
            return sb.ToString();
        }
    }

    private void Write(StringBuilder sb)
    {
        switch (Kind)
        {
            case SecretShapeKind.Secret:
                sb.Append('$').Append(Name);
                break;
            case SecretShapeKind.List:
                sb.Append('[');
                Element!.Write(sb);
                sb.Append(']');
                break;
            default:
                sb.Append(Kind == SecretShapeKind.Inputs ? "i{" : "{");
                foreach (var (key, value) in Children)
                {
                    sb.Append(key).Append(':');
                    value.Write(sb);
                    sb.Append(',');
                }

                sb.Append('}');
                break;
        }
    }
}

/// <summary>The kinds of <see cref="SecretShape"/>.</summary>
internal enum SecretShapeKind
{
    /// <summary>The value of a secret input.</summary>
    Secret,

    /// <summary>An inputs object holding secret inputs.</summary>
    Inputs,

    /// <summary>A namespace whose listed keys lead to secrets.</summary>
    Map,

    /// <summary>A list whose elements lead to secrets.</summary>
    List,
}
