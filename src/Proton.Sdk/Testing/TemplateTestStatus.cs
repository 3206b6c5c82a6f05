namespace Proton.Sdk.Testing;

/// <summary>The outcome of one <see cref="TemplateTestCase"/>.</summary>
public enum TemplateTestStatus
{
    /// <summary>Rendered, matched its snapshot and passed every lint rule.</summary>
    Passed,

    /// <summary>Passed with warnings (an unused input, a snapshot written for the first time).</summary>
    Warning,

    /// <summary>A render error, a changed snapshot, an invalid spec or a lint error.</summary>
    Failed,
}
