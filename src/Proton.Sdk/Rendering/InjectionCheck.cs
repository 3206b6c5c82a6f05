namespace Proton.Sdk.Rendering;

/// <summary>
/// The result of <see cref="InjectionGuard.Check"/>: whether the check ran, and the inputs (by path, for example
/// <c>environment.inputs.subnet_name</c>) whose values changed the structure of the rendered template.
/// </summary>
/// <param name="Checked">False when the guard was disabled, the template exempt, or no input value could add structure.</param>
/// <param name="Inputs">The paths of the inputs that changed the structure; empty when none did.</param>
/// <param name="Diagnostics">One error with code <see cref="RenderErrorCodes.Injection"/> per input (or one for the inputs together).</param>
public sealed record InjectionCheck(bool Checked, IReadOnlyList<string> Inputs, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>A check that did not run.</summary>
    public static InjectionCheck NotChecked { get; } = new(false, [], []);

    /// <summary>Whether an input changed the structure.</summary>
    public bool Tripped => Diagnostics.Count > 0;

    /// <summary>Throws when an input changed the structure.</summary>
    /// <exception cref="ProtonValidationException">With code <see cref="RenderErrorCodes.Injection"/> and the diagnostics.</exception>
    public void ThrowIfTripped()
    {
        if (Tripped)
        {
            throw new ProtonValidationException(RenderErrorCodes.Injection, Diagnostics);
        }
    }
}
