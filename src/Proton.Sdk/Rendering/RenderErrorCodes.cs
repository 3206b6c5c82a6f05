namespace Proton.Sdk.Rendering;

/// <summary>The error codes of <see cref="RenderException"/>, one per <see cref="RenderErrorKind"/>.</summary>
public static class RenderErrorCodes
{
    /// <summary>The template does not parse (<see cref="RenderErrorKind.Syntax"/>).</summary>
    public const string Syntax = "render.syntax";

    /// <summary>A value the template uses is not defined (<see cref="RenderErrorKind.Undefined"/>).</summary>
    public const string Undefined = "render.undefined";

    /// <summary>An operation got a value of the wrong type (<see cref="RenderErrorKind.Type"/>).</summary>
    public const string Type = "render.type";

    /// <summary>An operation got a value it cannot use (<see cref="RenderErrorKind.Value"/>).</summary>
    public const string Value = "render.value";

    /// <summary>A filter refused a value (<see cref="RenderErrorKind.Filter"/>).</summary>
    public const string Filter = "render.filter";

    /// <summary>
    /// A limit was hit (<see cref="RenderErrorKind.Limit"/>): template size, nesting depth, value size, produced size, loop
    /// iterations, output size, regular-expression time-out. See <see cref="RenderOptions"/>.
    /// </summary>
    public const string Limit = "render.limit";

    /// <summary>A render context is not a JSON object (<see cref="RenderContext.FromJson"/>); not a <see cref="RenderException"/>.</summary>
    public const string Context = "render.context";

    /// <summary>
    /// An input value changed the structure of a rendered template (new keys, resources or outputs), found by
    /// <see cref="InjectionGuard"/>; not a <see cref="RenderException"/>.
    /// </summary>
    public const string Injection = "render.injection";

    /// <summary>The code of a kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Its code.</returns>
    public static string For(RenderErrorKind kind) => kind switch
    {
        RenderErrorKind.Syntax => Syntax,
        RenderErrorKind.Undefined => Undefined,
        RenderErrorKind.Type => Type,
        RenderErrorKind.Value => Value,
        RenderErrorKind.Filter => Filter,
        RenderErrorKind.Limit => Limit,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown render error kind."),
    };
}
