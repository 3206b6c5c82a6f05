namespace Proton.Sdk.Migration;

/// <summary>The outcome for one discovered resource.</summary>
public enum AdoptionOutcome
{
    /// <summary>A version renders exactly the deployed template; recorded (or would be, in a dry run).</summary>
    Adopted,

    /// <summary>No version renders the deployed template; recorded with the closest version because drift was accepted.</summary>
    AdoptedWithDrift,

    /// <summary>No version renders the deployed template; not recorded (see the differences, or pass AcceptDrift).</summary>
    Differs,

    /// <summary>Cannot be adopted (see the reason): no spec, no template, an unstable stack, an environment not adopted, already recorded.</summary>
    NotAdoptable,
}
