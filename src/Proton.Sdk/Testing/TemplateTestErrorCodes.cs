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

    /// <summary>A resource of a type with a provider schema lacks a property the schema requires (a property given by an intrinsic function counts as given).</summary>
    public const string MissingRequiredProperty = "test.missing-required-property";

    /// <summary>A service template reads <c>environment.outputs.X</c> and the compatible environment template has no output X.</summary>
    public const string MissingEnvironmentOutput = "test.missing-environment-output";

    /// <summary>The environment bundle given for the output check did not give its outputs (its schema or a template failed; a warning).</summary>
    public const string EnvironmentOutputsUnknown = "test.environment-outputs-unknown";
}
