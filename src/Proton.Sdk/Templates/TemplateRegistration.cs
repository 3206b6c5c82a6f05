namespace Proton.Sdk.Templates;

/// <summary>What <c>.template-registration.yaml</c> (or the older <c>.compatible-envs</c>) says of a service template version.</summary>
public sealed record TemplateRegistration
{
    /// <summary>Environment template majors the service template version runs in.</summary>
    public required IReadOnlyList<CompatibleEnvironment> CompatibleEnvironments { get; init; }

    /// <summary>Component sources it accepts (<c>DIRECTLY_DEFINED</c>).</summary>
    public IReadOnlyList<string> SupportedComponentSources { get; init; } = [];

    /// <summary>The file it was read from.</summary>
    public required string SourceFile { get; init; }
}
