namespace Proton.Sdk.Provisioning;

/// <summary>
/// Deploys, plans and destroys one named stack from a rendered template. Implementations: <see cref="LocalProvisioner"/>
/// (offline) and the CloudFormation provisioner of Proton.Sdk.Aws. Failures of the stack itself come back as a
/// <see cref="ProvisionResult"/> with the root cause; exceptions are for operations that could not start.
/// </summary>
public interface IProvisioner
{
    /// <summary>A short name (<c>local</c>, <c>cloudformation</c>) recorded with each deployment.</summary>
    string Name { get; }

    /// <summary>Creates or updates the stack and waits for the end, streaming each event once, in order.</summary>
    /// <param name="request">What to deploy.</param>
    /// <param name="progress">Receives events as they happen.</param>
    /// <param name="cancellationToken">Cancels the deployment (the provisioner stops the operation where it can).</param>
    /// <returns>The outcome, with outputs or the root cause.</returns>
    Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Says what <see cref="DeployAsync"/> would change, without changing anything.</summary>
    /// <param name="request">What would be deployed.</param>
    /// <param name="cancellationToken">Cancels the plan.</param>
    /// <returns>The planned changes.</returns>
    Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes the stack and waits; a stack that does not exist is a success.</summary>
    /// <param name="stackName">The stack.</param>
    /// <param name="progress">Receives events as they happen.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The outcome; on failure, the resources that stayed.</returns>
    Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the stack that <paramref name="request"/> last deployed and waits. Engines that need the bundle to destroy
    /// (CodeBuild's <c>deprovision</c> commands) override this; the default calls <see cref="DestroyAsync(string, IProgress{ProvisioningEvent}?, CancellationToken)"/>.
    /// </summary>
    /// <param name="request">What was deployed (stack name, part, variables, secrets).</param>
    /// <param name="progress">Receives events as they happen.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The outcome; on failure, the resources that stayed.</returns>
    Task<ProvisionResult> DestroyAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
        => DestroyAsync((request ?? throw new ArgumentNullException(nameof(request))).StackName, progress, cancellationToken);

    /// <summary>Reads the stack's state, or null when it does not exist.</summary>
    /// <param name="stackName">The stack.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state or null.</returns>
    Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default);
}
