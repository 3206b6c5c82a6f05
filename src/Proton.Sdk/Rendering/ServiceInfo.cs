namespace Proton.Sdk.Rendering;

/// <summary>A service as templates see it: <c>service.{name, branch_name, repository_connection_arn, repository_id}</c>.</summary>
/// <param name="Name">The service's name.</param>
public sealed record ServiceInfo(string Name)
{
    /// <summary>The source branch (services with a pipeline).</summary>
    public string? BranchName { get; init; }

    /// <summary>The CodeStar connection ARN of the source repository (services with a pipeline).</summary>
    public string? RepositoryConnectionArn { get; init; }

    /// <summary>The source repository, <c>owner/name</c> (services with a pipeline).</summary>
    public string? RepositoryId { get; init; }
}
