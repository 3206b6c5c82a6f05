namespace Proton.Sdk.Provisioning;

/// <summary>A parameter of a CloudFormation template.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Type">Its type (<c>String</c>, <c>Number</c>, <c>List&lt;String&gt;</c>, ...).</param>
/// <param name="Default">Its default as text (a list joined with commas), or null.</param>
/// <param name="NoEcho">True when CloudFormation hides its value.</param>
public sealed record CloudFormationParameter(string Name, string Type, string? Default, bool NoEcho);
