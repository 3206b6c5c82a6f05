using Testcontainers.LocalStack;

namespace Proton.Sdk.IntegrationTests;

/// <summary>
/// The AWS-compatible endpoint the integration tests run against, found in this order: <c>PROTON_SDK_TEST_ENDPOINT</c>
/// (moto, LocalStack or any S3/CloudFormation-compatible URL); else LocalStack started through Testcontainers when a
/// Docker engine answers; else every test skips and says why, except under <c>CI=true</c>, where a test that would
/// skip fails instead (CI must run them: <c>.ci/run</c> starts moto).
/// </summary>
internal static class Endpoint
{
    private static readonly Lazy<(string? Url, string Why)> Found = new(Find);

    public static string? Url => Found.Value.Url;

    /// <summary>True when <c>CI</c> is <c>true</c> (or <c>1</c>), as CI systems set it.</summary>
    public static bool RunningInCi => Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    public static string Require()
    {
        var (url, why) = Found.Value;
        SkipOrFail(url, why, RunningInCi);
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "test");
        Environment.SetEnvironmentVariable("AWS_REGION", Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1");
        return url!;
    }

    /// <summary>Without an endpoint: skip with the reason, or under CI fail with it.</summary>
    internal static void SkipOrFail(string? url, string why, bool ci)
    {
        if (url is null && ci)
        {
            Assert.Fail("CI=true, so the integration tests must run, but: " + why);
        }

        Skip.If(url is null, why);
    }

    private static (string? Url, string Why) Find()
    {
        if (Environment.GetEnvironmentVariable("PROTON_SDK_TEST_ENDPOINT") is { Length: > 0 } url)
        {
            return (url, string.Empty);
        }

        try
        {
            var container = new LocalStackBuilder("localstack/localstack:3.8").Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            container.StartAsync(timeout.Token).GetAwaiter().GetResult();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return (container.GetConnectionString(), string.Empty);
        }
#pragma warning disable CA1031 // Any failure to start LocalStack means: no endpoint, skip and say why.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var reason = $"No AWS-compatible endpoint: PROTON_SDK_TEST_ENDPOINT is not set (e.g. moto at http://127.0.0.1:5000) and LocalStack could not start through Testcontainers ({ex.GetType().Name}: {ex.Message.Split('\n')[0]}).";
            Console.Error.WriteLine("Proton.Sdk.IntegrationTests: " + reason);
            return (null, reason);
        }
    }
}
