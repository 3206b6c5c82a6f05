namespace Proton.Sdk.Schema;

/// <summary>Options for validating inputs.</summary>
public sealed class SpecValidationOptions
{
    /// <summary>When true, inputs the schema does not define are ignored instead of rejected. Default false.</summary>
    public bool IgnoreUnknownInputs { get; set; }
}
