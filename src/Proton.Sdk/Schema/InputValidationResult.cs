namespace Proton.Sdk.Schema;

/// <summary>The outcome of validating one set of inputs.</summary>
/// <param name="Values">The typed values with defaults applied, or null when invalid.</param>
/// <param name="Failures">Every failure, each with its path and code.</param>
public sealed record InputValidationResult(InputValues? Values, IReadOnlyList<InputValidationFailure> Failures)
{
    /// <summary>True when there is no failure.</summary>
    public bool IsValid => Failures.Count == 0;
}
