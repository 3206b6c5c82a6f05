namespace Proton.Sdk.Schema;

/// <summary>Error codes of schema checks and validation added for hardening (the older codes are documented where they are raised).</summary>
public static class SchemaErrorCodes
{
    /// <summary>
    /// A <c>pattern</c> took longer than its time-out on a value, or pattern matching used up the call's time budget: the
    /// schema refuses the pattern (at its location); validation reports the value as not checked.
    /// </summary>
    public const string PatternTimeout = "schema.pattern-timeout";
}
