namespace Proton.Sdk.Versioning;

/// <summary>Who runs on a template version: the platform answers this so that used versions are never deleted.</summary>
public interface ITemplateUsage
{
    /// <summary>The resources (such as <c>environment/dev</c>) that run on a template version.</summary>
    /// <param name="templateName">The template.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The resources; empty when none.</returns>
    ValueTask<IReadOnlyList<string>> GetUsersAsync(string templateName, SemanticVersion version, CancellationToken cancellationToken = default);
}
