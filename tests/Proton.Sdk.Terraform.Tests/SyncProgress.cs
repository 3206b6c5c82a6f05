using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Terraform.Tests;

/// <summary>Collects events synchronously, in order, and lets a test react to one.</summary>
internal sealed class SyncProgress(Action<ProvisioningEvent>? onEvent = null) : IProgress<ProvisioningEvent>
{
    private readonly List<ProvisioningEvent> _events = [];

    public IReadOnlyList<ProvisioningEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Report(ProvisioningEvent value)
    {
        lock (_events)
        {
            _events.Add(value);
        }

        onEvent?.Invoke(value);
    }
}
