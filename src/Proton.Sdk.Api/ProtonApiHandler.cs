using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Proton.Sdk.Platform;
using Proton.Sdk.Storage;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Api;

/// <summary>
/// The endpoint: checks the SigV4 headers, reads the body (bounded), checks the signature over it, dispatches on <c>X-Amz-Target</c> to the table of
/// operations, and writes Proton's JSON or its error (<c>__type</c>, <c>message</c>, <c>x-amzn-ErrorType</c>).
/// </summary>
internal sealed partial class ProtonApiHandler
{
    public const string TargetPrefix = "AwsProton20200720.";
    private const string ContentType = "application/x-amz-json-1.0";

    private readonly IServiceProvider _services;
    private readonly ProtonApiOptions _options;
    private readonly SigV4Verifier _verifier;
    private readonly BackgroundDeployments _background;
    private readonly TimeProvider _time;
    private readonly ILogger<ProtonApiHandler> _logger;
    private readonly Shapes _shapes;
    private readonly Dictionary<string, Func<ApiRequest, CancellationToken, Task<JsonObject>>> _operations;

    public ProtonApiHandler(IServiceProvider services, IOptions<ProtonApiOptions> options, BackgroundDeployments background, TimeProvider time, ILogger<ProtonApiHandler> logger)
    {
        _services = services;
        _options = options.Value;
        _verifier = new SigV4Verifier(new Dictionary<string, string>(_options.Credentials, StringComparer.Ordinal), _options.Region, _options.MaxClockSkew);
        _background = background;
        _time = time;
        _logger = logger;
        _shapes = new Shapes(_options.Region, _options.AccountId);
        _operations = new(StringComparer.Ordinal)
        {
            ["CreateEnvironmentTemplate"] = (r, ct) => CreateTemplateAsync(r, Templates.TemplateKind.Environment, ct),
            ["GetEnvironmentTemplate"] = (r, ct) => GetTemplateAsync(r, Templates.TemplateKind.Environment, ct),
            ["ListEnvironmentTemplates"] = (r, ct) => ListTemplatesAsync(r, Templates.TemplateKind.Environment, ct),
            ["UpdateEnvironmentTemplate"] = (r, ct) => UpdateTemplateAsync(r, Templates.TemplateKind.Environment, ct),
            ["DeleteEnvironmentTemplate"] = (r, ct) => DeleteTemplateAsync(r, Templates.TemplateKind.Environment, ct),
            ["CreateEnvironmentTemplateVersion"] = (r, ct) => CreateVersionAsync(r, Templates.TemplateKind.Environment, ct),
            ["GetEnvironmentTemplateVersion"] = (r, ct) => GetVersionAsync(r, Templates.TemplateKind.Environment, ct),
            ["ListEnvironmentTemplateVersions"] = (r, ct) => ListVersionsAsync(r, Templates.TemplateKind.Environment, ct),
            ["UpdateEnvironmentTemplateVersion"] = (r, ct) => UpdateVersionAsync(r, Templates.TemplateKind.Environment, ct),
            ["DeleteEnvironmentTemplateVersion"] = (r, ct) => DeleteVersionAsync(r, Templates.TemplateKind.Environment, ct),
            ["CreateServiceTemplate"] = (r, ct) => CreateTemplateAsync(r, Templates.TemplateKind.Service, ct),
            ["GetServiceTemplate"] = (r, ct) => GetTemplateAsync(r, Templates.TemplateKind.Service, ct),
            ["ListServiceTemplates"] = (r, ct) => ListTemplatesAsync(r, Templates.TemplateKind.Service, ct),
            ["UpdateServiceTemplate"] = (r, ct) => UpdateTemplateAsync(r, Templates.TemplateKind.Service, ct),
            ["DeleteServiceTemplate"] = (r, ct) => DeleteTemplateAsync(r, Templates.TemplateKind.Service, ct),
            ["CreateServiceTemplateVersion"] = (r, ct) => CreateVersionAsync(r, Templates.TemplateKind.Service, ct),
            ["GetServiceTemplateVersion"] = (r, ct) => GetVersionAsync(r, Templates.TemplateKind.Service, ct),
            ["ListServiceTemplateVersions"] = (r, ct) => ListVersionsAsync(r, Templates.TemplateKind.Service, ct),
            ["UpdateServiceTemplateVersion"] = (r, ct) => UpdateVersionAsync(r, Templates.TemplateKind.Service, ct),
            ["DeleteServiceTemplateVersion"] = (r, ct) => DeleteVersionAsync(r, Templates.TemplateKind.Service, ct),
            ["CreateEnvironment"] = CreateEnvironmentAsync,
            ["GetEnvironment"] = GetEnvironmentAsync,
            ["ListEnvironments"] = ListEnvironmentsAsync,
            ["UpdateEnvironment"] = UpdateEnvironmentAsync,
            ["DeleteEnvironment"] = DeleteEnvironmentAsync,
            ["ListEnvironmentOutputs"] = ListEnvironmentOutputsAsync,
            ["CancelEnvironmentDeployment"] = CancelEnvironmentDeploymentAsync,
            ["ListEnvironmentProvisionedResources"] = ListEnvironmentProvisionedResourcesAsync,
            ["CreateService"] = CreateServiceAsync,
            ["GetService"] = GetServiceAsync,
            ["ListServices"] = ListServicesAsync,
            ["UpdateService"] = UpdateServiceAsync,
            ["DeleteService"] = DeleteServiceAsync,
            ["GetServiceInstance"] = GetServiceInstanceAsync,
            ["ListServiceInstances"] = ListServiceInstancesAsync,
            ["UpdateServiceInstance"] = UpdateServiceInstanceAsync,
            ["ListServiceInstanceOutputs"] = ListServiceInstanceOutputsAsync,
            ["CancelServiceInstanceDeployment"] = CancelServiceInstanceDeploymentAsync,
            ["ListServiceInstanceProvisionedResources"] = ListServiceInstanceProvisionedResourcesAsync,
            ["UpdateServicePipeline"] = UpdateServicePipelineAsync,
            ["ListServicePipelineOutputs"] = ListServicePipelineOutputsAsync,
            ["CancelServicePipelineDeployment"] = CancelServicePipelineDeploymentAsync,
            ["ListServicePipelineProvisionedResources"] = ListServicePipelineProvisionedResourcesAsync,
            ["ListDeployments"] = ListDeploymentsAsync,
            ["GetDeployment"] = GetDeploymentAsync,
            ["GetResourcesSummary"] = GetResourcesSummaryAsync,
            ["NotifyResourceDeploymentStatusChange"] = NotifyAsync,
            ["ListTagsForResource"] = ListTagsAsync,
            ["TagResource"] = TagResourceAsync,
            ["UntagResource"] = UntagResourceAsync,
        };
    }

    /// <summary>The operations this host serves.</summary>
    public IReadOnlyCollection<string> Operations => _operations.Keys;

    private ProtonPlatform Platform => _services.GetRequiredService<ProtonPlatform>();

    private IProtonStore Store => _services.GetRequiredService<IProtonStore>();

    public async Task HandleAsync(HttpContext context)
    {
        string operation = "(none)";
        try
        {
            // Authentication first: the headers (key, scope, time, signed headers) are checked before a byte of the body is
            // read, and a declared length over the limit is refused unread; the signature itself needs the body's hash.
            var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (context.Request.PathBase + context.Request.Path).ToString();
            var q = raw.IndexOf('?', StringComparison.Ordinal);
            var (rawPath, rawQuery) = q < 0 ? (raw, string.Empty) : (raw[..q], raw[(q + 1)..]);
            var headers = context.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? string.Empty)));
            var pending = _verifier.CheckHeaders(context.Request.Method, rawPath, rawQuery, headers, _time.GetUtcNow());
            var body = await ReadBodyAsync(context.Request, _options.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
            pending.CheckBody(body);

            var target = context.Request.Headers["X-Amz-Target"].ToString();
            if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal) || target.Length == TargetPrefix.Length)
            {
                throw ProtonApiException.Validation($"The X-Amz-Target header must be {TargetPrefix}<Operation>; it is '{Truncate(target)}'.");
            }

            operation = target[TargetPrefix.Length..];
            if (!_operations.TryGetValue(operation, out var handler))
            {
                throw ProtonApiException.Validation($"The operation {Truncate(operation)} is not served by this Proton API host (Proton.Sdk.Api); see its README for the operations served.");
            }

            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body, new JsonDocumentOptions { MaxDepth = 32 });
                root = doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw ProtonApiException.Validation($"The body of {operation} is not valid JSON.");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw ProtonApiException.Validation($"The body of {operation} must be a JSON object.");
            }

            var result = await handler(new ApiRequest(operation, root), context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = 200;
            context.Response.ContentType = ContentType;
            await context.Response.WriteAsync(result.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
#pragma warning disable CA1031 // the API's boundary: every error becomes Proton's error shape, unexpected ones logged as InternalServerException
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var error = Map(ex);
            if (error.ErrorType == ProtonApiErrors.InternalServer)
            {
                Log.Unexpected(_logger, operation, ex);
            }

            context.Response.StatusCode = error.StatusCode;
            context.Response.ContentType = ContentType;
            context.Response.Headers["x-amzn-ErrorType"] = error.ErrorType;
            var payload = new JsonObject { ["__type"] = error.ErrorType, ["message"] = error.Message };
            await context.Response.WriteAsync(payload.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Proton's error for an exception: typed Proton.Sdk errors by their codes; anything unexpected is an internal error without details.</summary>
    internal static ProtonApiException Map(Exception ex) => ex switch
    {
        ProtonApiException api => api,
        PlatformException p => p.ErrorCode switch
        {
            PlatformErrorCodes.NotFound or PlatformErrorCodes.TemplateNotFound or PlatformErrorCodes.StackNotFound => ProtonApiException.NotFound(p.Message),
            PlatformErrorCodes.AlreadyExists or PlatformErrorCodes.Conflict or PlatformErrorCodes.InUse or PlatformErrorCodes.NotCancellable
                or PlatformErrorCodes.NotAwaiting or PlatformErrorCodes.EnvironmentNotReady or PlatformErrorCodes.StackNotStable => ProtonApiException.Conflict(p.Message),
            _ => ProtonApiException.Validation(p.Message),
        },
        RegistryException r => r.ErrorCode switch
        {
            RegistryErrorCodes.NotFound => ProtonApiException.NotFound(r.Message),
            RegistryErrorCodes.Conflict or RegistryErrorCodes.VersionExists or RegistryErrorCodes.InUse or RegistryErrorCodes.HasVersions => ProtonApiException.Conflict(r.Message),
            _ => ProtonApiException.Validation(r.Message),
        },
        StoreConflictException s => ProtonApiException.Conflict(s.Message),
        ProtonException p => ProtonApiException.Validation(p.Message),

        // The library's argument checks (a name with a space or a slash, too long for a store key): the caller's input.
        ArgumentException a => ProtonApiException.Validation(a.Message),
        _ => new ProtonApiException(ProtonApiErrors.InternalServer, 500, "An internal error occurred; the host's log has the details."),
    };

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ProtonApiException TooLarge(int limit)
        => new(ProtonApiErrors.Validation, 413, $"The request body is larger than this host accepts ({limit} bytes, ProtonApi:MaxRequestBytes).");

    private static string Truncate(string s) => s.Length <= 100 ? s : s[..100] + "...";

    private static partial class Log
    {
        [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Proton API operation {Operation} failed unexpectedly")]
        public static partial void Unexpected(ILogger logger, string operation, Exception exception);
    }
}
