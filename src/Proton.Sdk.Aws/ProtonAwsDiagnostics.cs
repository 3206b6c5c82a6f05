using System.Diagnostics.Metrics;

namespace Proton.Sdk.Aws;

/// <summary>
/// Metrics of Proton.Sdk.Aws: subscribe to the <see cref="MeterName"/> meter for AWS API calls (<c>proton.aws.calls</c>,
/// by action) and retries (<c>proton.aws.retries</c>, by action and error code). Inputs and secrets are never attached.
/// </summary>
public static class ProtonAwsDiagnostics
{
    /// <summary>The name of the meter.</summary>
    public const string MeterName = "Proton.Sdk.Aws";

    internal static readonly Meter Meter = new(MeterName, "0.1.0");

    internal static readonly Counter<long> AwsCalls = Meter.CreateCounter<long>("proton.aws.calls", description: "AWS API calls, by action.");

    internal static readonly Counter<long> AwsRetries = Meter.CreateCounter<long>("proton.aws.retries", description: "AWS API calls retried after throttling or a 5xx.");
}
