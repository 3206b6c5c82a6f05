namespace Proton.Sdk.Policies;

/// <summary>Where resource-type permissions come from: CloudFormation's DescribeType, a folder of provider schemas, a cache.</summary>
public interface IResourcePermissionSource
{
    /// <summary>The permissions of a resource type, or null when there is no provider schema for it.</summary>
    /// <param name="typeName">The type, such as <c>AWS::SQS::Queue</c>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The permissions or null.</returns>
    ValueTask<ResourceTypePermissions?> GetAsync(string typeName, CancellationToken cancellationToken = default);
}
