namespace Proton.Sdk.Templates;

/// <summary>What a bundle defines.</summary>
public enum TemplateKind
{
    /// <summary>An environment template: <c>schema/</c> and <c>infrastructure/</c> (or a schema only, when customer managed).</summary>
    Environment,

    /// <summary>A service template: <c>schema/</c>, <c>instance_infrastructure/</c> and optional <c>pipeline_infrastructure/</c>.</summary>
    Service,

    /// <summary>A directly defined component: a manifest and one IaC file, no schema.</summary>
    Component,
}
