namespace Proton.Sdk.IntegrationTests;

/// <summary>
/// The AWS-compatible endpoint the integration tests run against: <c>PROTON_SDK_TEST_ENDPOINT</c> (moto, LocalStack or
/// any S3/CloudFormation-compatible URL). Without one, every test skips and says why. (Testcontainers.LocalStack for
/// hosts with Docker comes with the AWS provisioner work.)
/// </summary>
internal static class Endpoint
{
    public static string? Url { get; } = Environment.GetEnvironmentVariable("PROTON_SDK_TEST_ENDPOINT");

    public const string SkipReason = "No AWS-compatible endpoint: set PROTON_SDK_TEST_ENDPOINT (e.g. moto at http://127.0.0.1:5000) to run the integration tests.";

    public static string Require()
    {
        Skip.If(Url is null, SkipReason);
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "test");
        Environment.SetEnvironmentVariable("AWS_REGION", Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1");
        return Url!;
    }
}
