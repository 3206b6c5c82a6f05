using Proton.Sdk.Templates;

namespace Proton.Sdk.Platform;

/// <summary>Small rules every platform collaborator shares: resource names, recorded states and NONE updates.</summary>
internal static class PlatformNames
{
    public static void Check(string name, string what)
    {
        if (ProtonNames.Explain(name) is { } bad)
        {
            throw new PlatformException(PlatformErrorCodes.InvalidName, $"Invalid {what} name: {bad}.");
        }
    }

    public static DeploymentState State(DeployableRecord r) => new(r.TemplateName, r.TemplateVersion, r.Inputs);

    /// <summary>A NONE update: records the description and (environments) the account id; it deploys nothing, so inputs and versions are refused.</summary>
    public static async Task UpdateDescriptionAsync(PlatformRecords records, TargetRef target, UpdateRequest request, CancellationToken cancellationToken)
    {
        if (request.Inputs is not null || request.TemplateVersion is not null)
        {
            throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"{target.Display}: NONE deploys nothing, so it cannot apply {(request.Inputs is not null ? "new inputs" : "a template version")}; use CURRENT_VERSION to deploy new inputs, MINOR_VERSION or MAJOR_VERSION to move versions.");
        }

        CheckAccountId(target, request);
        await records.UpdateTargetAsync(target, r =>
        {
            var current = r ?? throw PlatformRecords.NotFound(target.Kind, target.Display);
            // The description is what was given (null clears it), unless the update only sets the account id.
            var updated = current with { Description = request.AccountId is not null && request.Description is null ? current.Description : request.Description };
            return updated is EnvironmentRecord env && request.AccountId is not null ? env with { AccountId = request.AccountId } : updated;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses an account id for anything but an environment, and one that is not 12 digits.</summary>
    public static void CheckAccountId(TargetRef target, UpdateRequest request)
    {
        if (request.AccountId is null)
        {
            return;
        }

        if (target.Type != DeploymentTargetType.Environment)
        {
            throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"{target.Kind} {target.Display}: the account id belongs to the environment; update the environment instead.");
        }

        if (request.AccountId.Length != 12 || !request.AccountId.All(char.IsAsciiDigit))
        {
            throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"environment {target.Display}: '{request.AccountId}' is not an AWS account id (12 digits).");
        }
    }
}
