using Proton.Sdk.Aws.CloudFormation;

namespace Proton.Sdk.Aws.CodeBuild;

/// <summary>Options of <see cref="AwsCodeBuildRunner"/>.</summary>
public sealed class AwsCodeBuildRunnerOptions
{
    /// <summary>The CodeBuild project the builds run in (Proton made one per environment; any project with a service role that may provision works). Required.</summary>
    public string ProjectName { get; set; } = string.Empty;

    /// <summary>Region, profile, endpoint and retries (<c>AWS_ENDPOINT_URL_CODEBUILD</c> and <c>AWS_ENDPOINT_URL_CLOUDWATCH_LOGS</c> are honoured).</summary>
    public AwsConnectionOptions Connection { get; set; } = new();

    /// <summary>How long to wait between two status reads. Default 5 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The image when the manifest names none. Default <c>aws/codebuild/amazonlinux2-x86_64-standard:5.0</c>.</summary>
    public string DefaultImage { get; set; } = "aws/codebuild/amazonlinux2-x86_64-standard:5.0";

    /// <summary>The largest compressed source that travels inside the buildspec. Default 256 KiB.</summary>
    public int MaxInlineSourceBytes { get; set; } = 256 * 1024;

    /// <summary>How many log lines a failed run quotes. Default 30.</summary>
    public int LogTailLines { get; set; } = 30;
}
