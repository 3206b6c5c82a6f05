namespace Proton.Sdk.Migration;

/// <summary>How a value differs between the deployed and the rendered template.</summary>
public enum TemplateDifferenceKind
{
    /// <summary>Only the rendered template has it.</summary>
    Added,

    /// <summary>Only the deployed template has it.</summary>
    Removed,

    /// <summary>Both have it, with different values.</summary>
    Changed,
}
