namespace Proton.Sdk.Provisioning.CodeBuild;

/// <summary>The stable error codes of CodeBuild provisioning (<see cref="ProtonException.ErrorCode"/>).</summary>
public static class CodeBuildErrorCodes
{
    /// <summary><c>codebuild.no-part</c>: the request carries no CodeBuild bundle part (<c>rendering_engine: codebuild</c>).</summary>
    public const string NoCodeBuildPart = "codebuild.no-part";

    /// <summary><c>codebuild.no-commands</c>: the manifest has no <c>provision</c> commands.</summary>
    public const string NoCommands = "codebuild.no-commands";

    /// <summary><c>codebuild.bundle-required</c>: destroying a CodeBuild stack runs the bundle's <c>deprovision</c> commands, so it needs the request.</summary>
    public const string BundleRequired = "codebuild.bundle-required";

    /// <summary><c>codebuild.invalid-outputs</c>: <c>proton-outputs.json</c> is not one of the forms Proton read.</summary>
    public const string InvalidOutputs = "codebuild.invalid-outputs";

    /// <summary><c>codebuild.invalid-stack-name</c>: the stack name cannot name a folder.</summary>
    public const string InvalidStackName = "codebuild.invalid-stack-name";

    /// <summary><c>codebuild.source-too-large</c>: the bundle part is too large to travel inside a build's buildspec.</summary>
    public const string SourceTooLarge = "codebuild.source-too-large";

    /// <summary><c>codebuild.start-failed</c>: the shell could not be started.</summary>
    public const string StartFailed = "codebuild.start-failed";
}
