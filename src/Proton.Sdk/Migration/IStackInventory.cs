namespace Proton.Sdk.Migration;

/// <summary>
/// What discovery and adoption read of an account: its stacks with their tags and their deployed templates. Read only:
/// an inventory never changes a stack. Proton.Sdk.Aws implements it over CloudFormation (<c>CloudFormationStackInventory</c>).
/// </summary>
public interface IStackInventory
{
    /// <summary>Every live stack of the account and region (all pages).</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The stacks.</returns>
    Task<IReadOnlyList<DiscoveredStack>> ListStacksAsync(CancellationToken cancellationToken = default);

    /// <summary>The template the stack was deployed with, as submitted (YAML or JSON).</summary>
    /// <param name="stackName">The stack.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The template body.</returns>
    Task<string> GetTemplateBodyAsync(string stackName, CancellationToken cancellationToken = default);
}
