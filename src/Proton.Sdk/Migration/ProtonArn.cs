namespace Proton.Sdk.Migration;

/// <summary>An ARN of a Proton resource as Proton wrote it in its tags: <c>arn:partition:proton:region:account:resource</c>.</summary>
/// <param name="Partition">The partition (<c>aws</c>, <c>aws-cn</c>, <c>aws-us-gov</c>).</param>
/// <param name="Region">The region.</param>
/// <param name="Account">The account id.</param>
/// <param name="Resource">The resource part (<c>environment/dev</c>, <c>service/api/service-instance/dev</c>).</param>
public sealed record ProtonArn(string Partition, string Region, string Account, string Resource)
{
    /// <summary>The ARN's text.</summary>
    /// <returns><c>arn:partition:proton:region:account:resource</c>.</returns>
    public override string ToString() => $"arn:{Partition}:proton:{Region}:{Account}:{Resource}";

    /// <summary>Reads a Proton ARN; null when the text is not one (another service, missing parts).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The ARN or null.</returns>
    public static ProtonArn? TryParse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "proton" || parts[1].Length == 0 || parts[3].Length == 0 || parts[4].Length == 0 || parts[5].Length == 0)
        {
            return null;
        }

        return new ProtonArn(parts[1], parts[3], parts[4], parts[5]);
    }

    /// <summary>The ARN of an environment.</summary>
    /// <param name="partition">The partition.</param>
    /// <param name="region">The region.</param>
    /// <param name="account">The account.</param>
    /// <param name="name">The environment.</param>
    /// <returns>The ARN.</returns>
    public static ProtonArn Environment(string partition, string region, string account, string name) => new(partition, region, account, "environment/" + name);

    /// <summary>The ARN of a service.</summary>
    /// <param name="partition">The partition.</param>
    /// <param name="region">The region.</param>
    /// <param name="account">The account.</param>
    /// <param name="name">The service.</param>
    /// <returns>The ARN.</returns>
    public static ProtonArn Service(string partition, string region, string account, string name) => new(partition, region, account, "service/" + name);

    /// <summary>The ARN of a service instance.</summary>
    /// <param name="partition">The partition.</param>
    /// <param name="region">The region.</param>
    /// <param name="account">The account.</param>
    /// <param name="service">The service.</param>
    /// <param name="instance">The instance.</param>
    /// <returns>The ARN.</returns>
    public static ProtonArn ServiceInstance(string partition, string region, string account, string service, string instance) => new(partition, region, account, $"service/{service}/service-instance/{instance}");

    /// <summary>The ARN of an environment or service template.</summary>
    /// <param name="partition">The partition.</param>
    /// <param name="region">The region.</param>
    /// <param name="account">The account.</param>
    /// <param name="kind">The template's kind.</param>
    /// <param name="name">The template.</param>
    /// <returns>The ARN.</returns>
    public static ProtonArn Template(string partition, string region, string account, Templates.TemplateKind kind, string name)
        => new(partition, region, account, (kind == Templates.TemplateKind.Service ? "service-template/" : "environment-template/") + name);

    /// <summary>The resource type and the rest: <c>service/api/service-instance/dev</c> gives (<c>service</c>, [<c>api</c>, <c>service-instance</c>, <c>dev</c>]).</summary>
    internal (string Type, string[] Names) Split()
    {
        var parts = Resource.Split('/');
        return (parts[0], parts[1..]);
    }
}
