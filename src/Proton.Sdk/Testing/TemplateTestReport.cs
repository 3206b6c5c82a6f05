namespace Proton.Sdk.Testing;

/// <summary>The result of <see cref="TemplateTester.RunAsync"/>: one case per spec and template.</summary>
/// <param name="Cases">The cases, in spec then bundle order.</param>
public sealed record TemplateTestReport(IReadOnlyList<TemplateTestCase> Cases)
{
    /// <summary>Cases that passed without warnings.</summary>
    public int Passed => Cases.Count(c => c.Status == TemplateTestStatus.Passed);

    /// <summary>Cases that passed with warnings.</summary>
    public int Warnings => Cases.Count(c => c.Status == TemplateTestStatus.Warning);

    /// <summary>Cases that failed.</summary>
    public int Failed => Cases.Count(c => c.Status == TemplateTestStatus.Failed);

    /// <summary>Whether no case failed.</summary>
    public bool Succeeded => Failed == 0;
}
