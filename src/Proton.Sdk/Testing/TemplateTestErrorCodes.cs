namespace Proton.Sdk.Testing;

/// <summary>The codes of the messages of <see cref="TemplateTester"/> (render errors keep their <c>render.*</c> codes).</summary>
public static class TemplateTestErrorCodes
{
    /// <summary>A spec file does not parse or does not satisfy the schema.</summary>
    public const string SpecInvalid = "test.spec-invalid";

    /// <summary>The rendering differs from its snapshot; the case carries the diff.</summary>
    public const string SnapshotChanged = "test.snapshot-changed";

    /// <summary>No snapshot existed (or updating was asked) and one was written (a warning).</summary>
    public const string SnapshotWritten = "test.snapshot-written";

    /// <summary>The rendering is not a CloudFormation template.</summary>
    public const string InvalidCloudFormation = "test.cfn-invalid";

    /// <summary>A <c>Ref</c>, <c>Fn::GetAtt</c> or <c>Fn::Sub</c> names no resource, parameter or pseudo parameter.</summary>
    public const string UnknownReference = "test.unknown-reference";

    /// <summary>A resource type is not in the provider schemas given (a warning).</summary>
    public const string UnknownResourceType = "test.unknown-resource-type";

    /// <summary>A template uses <c>inputs.x</c> that the schema does not declare.</summary>
    public const string UndeclaredInput = "test.undeclared-input";

    /// <summary>A part whose engine the tester does not render (Terraform's <c>hcl</c>): its spec was validated only (a warning).</summary>
    public const string NotRendered = "test.not-rendered";

    /// <summary>The schema declares an input no template uses (a warning).</summary>
    public const string UnusedInput = "test.unused-input";
}
