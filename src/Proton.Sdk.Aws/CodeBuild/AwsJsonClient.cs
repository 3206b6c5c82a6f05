using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proton.Sdk.Aws.CloudFormation;

namespace Proton.Sdk.Aws.CodeBuild;

/// <summary>A narrow AWS JSON 1.1 caller (CodeBuild, CloudWatch Logs): signed by the HttpClient's handler, retried with <see cref="AwsRetry"/>.</summary>
internal sealed class AwsJsonClient(HttpClient http, Uri endpoint, string targetPrefix, TimeProvider time, Func<double> random, int maxAttempts)
{
    public int Calls;

    public Task<JsonNode> CallAsync(string operation, JsonObject body, CancellationToken cancellationToken)
        => AwsRetry.RunAsync(
            operation,
            async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
                request.Headers.Add("X-Amz-Target", targetPrefix + "." + operation);
                using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                JsonNode? json;
                try
                {
                    json = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    json = null;
                }

                if (response.IsSuccessStatusCode)
                {
                    return json ?? throw new AwsServiceException(AwsErrorKind.Other, "MalformedResponse", "the response is not JSON", response.StatusCode, null, operation);
                }

                var type = ((string?)json?["__type"])?.Split('#').Last() ?? (response.StatusCode >= HttpStatusCode.InternalServerError ? "InternalFailure" : "UnknownError");
                var message = (string?)json?["message"] ?? (string?)json?["Message"] ?? text;
                var kind = type switch
                {
                    "ThrottlingException" or "Throttling" => AwsErrorKind.Throttling,
                    "InvalidInputException" or "ValidationException" => AwsErrorKind.Validation,
                    _ when response.StatusCode >= HttpStatusCode.InternalServerError => AwsErrorKind.ServiceUnavailable,
                    _ => AwsErrorKind.Other,
                };
                throw new AwsServiceException(kind, type, message, response.StatusCode, response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null, operation);
            },
            time,
            random,
            maxAttempts,
            () => Interlocked.Increment(ref Calls),
            () => { },
            cancellationToken);
}
