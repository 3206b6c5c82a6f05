using System.Net;

namespace Proton.Sdk.Aws;

/// <summary>
/// Runs one AWS call with retries: throttling, 5xx, network errors and time-outs are retried with exponential backoff
/// and full jitter (200 ms doubling, capped at 20 s); other errors are not.
/// </summary>
internal static class AwsRetry
{
    public static async Task<T> RunAsync<T>(string action, Func<CancellationToken, Task<T>> call, TimeProvider time, Func<double> random, int maxAttempts, Action onCall, Action onRetry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            onCall();
            ProtonAwsDiagnostics.AwsCalls.Add(1, new KeyValuePair<string, object?>("action", action));
            AwsServiceException error;
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (AwsServiceException ex)
            {
                error = ex;
            }
            catch (HttpRequestException ex)
            {
                error = new AwsServiceException(AwsErrorKind.ServiceUnavailable, "NetworkError", ex.Message, HttpStatusCode.ServiceUnavailable, null, action);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                error = new AwsServiceException(AwsErrorKind.ServiceUnavailable, "Timeout", ex.Message, HttpStatusCode.RequestTimeout, null, action);
            }

            if (error.Kind is not (AwsErrorKind.Throttling or AwsErrorKind.ServiceUnavailable) || attempt >= maxAttempts)
            {
                throw error;
            }

            onRetry();
            ProtonAwsDiagnostics.AwsRetries.Add(1, new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("error", error.AwsErrorCode));
            var cap = Math.Min(20_000, 200 * Math.Pow(2, attempt - 1));
            await Task.Delay(TimeSpan.FromMilliseconds(cap * random()), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
