namespace Proton.Sdk.Policies;

/// <summary>The stable error codes of least-privilege policies (<see cref="ProtonException.ErrorCode"/> and <see cref="Diagnostic"/> codes).</summary>
public static class PolicyErrorCodes
{
    /// <summary><c>policy.invalid-document</c>: invalid document.</summary>
    public const string InvalidDocument = "policy.invalid-document";

    /// <summary><c>policy.invalid-schema</c>: invalid schema.</summary>
    public const string InvalidSchema = "policy.invalid-schema";

    /// <summary><c>policy.no-schemas</c>: no schemas.</summary>
    public const string NoSchemas = "policy.no-schemas";
}
