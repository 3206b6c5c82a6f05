namespace Proton.Sdk.Provisioning;

/// <summary>A resource of a CloudFormation template.</summary>
/// <param name="LogicalId">The logical id.</param>
/// <param name="Type">The resource type (<c>AWS::SQS::Queue</c>, ...).</param>
/// <param name="Properties">The properties as plain values, intrinsics in long form (<c>Fn::Sub</c>, <c>Ref</c>).</param>
/// <param name="Line">The 1-based line of the resource in the template.</param>
public sealed record CloudFormationResource(string LogicalId, string Type, IReadOnlyDictionary<string, object?> Properties, int Line);
