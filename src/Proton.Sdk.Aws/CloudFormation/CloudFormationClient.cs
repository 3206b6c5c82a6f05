using System.Globalization;
using System.Net;
using System.Xml.Linq;

namespace Proton.Sdk.Aws.CloudFormation;

/// <summary>A stack as DescribeStacks returns it.</summary>
internal sealed record CfnStack(string StackName, string StackId, string Status, string? StatusReason, IReadOnlyDictionary<string, string> Outputs);

/// <summary>One stack event.</summary>
internal sealed record CfnEvent(string EventId, DateTimeOffset Timestamp, string LogicalId, string? PhysicalId, string ResourceType, string Status, string? Reason, string? ClientRequestToken);

/// <summary>A change set as DescribeChangeSet returns it.</summary>
internal sealed record CfnChangeSet(string Status, string? StatusReason, string? ExecutionStatus, IReadOnlyList<CfnChange> Changes, string? StackId = null);

/// <summary>One resource change of a change set.</summary>
internal sealed record CfnChange(string Action, string LogicalId, string ResourceType, string? Replacement);

/// <summary>One stack resource.</summary>
internal sealed record CfnResourceState(string LogicalId, string ResourceType, string Status, string? Reason);

/// <summary>Inputs of CreateChangeSet.</summary>
internal sealed record CreateChangeSetInput
{
    public required string StackName { get; init; }

    public required string ChangeSetName { get; init; }

    public required string ChangeSetType { get; init; }

    public string? TemplateBody { get; init; }

    public string? TemplateUrl { get; init; }

    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Capabilities { get; init; } = [];

    public string? RoleArn { get; init; }

    public string? ClientToken { get; init; }
}

/// <summary>
/// A narrow client for CloudFormation's Query API (2010-05-15): form-encoded POSTs, XML answers, NextToken pagination,
/// errors mapped to <see cref="AwsServiceException"/>, throttling and 5xx retried with exponential backoff and full jitter.
/// The <see cref="HttpClient"/> it is given signs requests (SigV4) or is a test double.
/// </summary>
internal sealed class CloudFormationClient(HttpClient http, Uri endpoint, TimeProvider time, Func<double> random, int maxAttempts = 6)
{
    public const string ApiVersion = "2010-05-15";

    public int Calls;

    public int Retries;

    public Uri Endpoint => endpoint;

    public async Task<XElement> CallAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", ApiVersion) };
        form.AddRange(parameters);
        return await AwsRetry.RunAsync(
            action,
            async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
                using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw ParseError(action, response.StatusCode, text, response.ReasonPhrase, AwsErrorResponse.RequestId(response));
                }

                try
                {
                    var root = XDocument.Parse(text).Root ?? throw new System.Xml.XmlException("empty response");
                    return root.Elements().FirstOrDefault(e => e.Name.LocalName == action + "Result") ?? root;
                }
                catch (System.Xml.XmlException)
                {
                    throw new AwsServiceException(AwsErrorKind.Other, "MalformedResponse", AwsErrorResponse.Summarize(response.StatusCode, response.ReasonPhrase, text), response.StatusCode, AwsErrorResponse.RequestId(response), action);
                }
            },
            time,
            random,
            maxAttempts,
            () => Interlocked.Increment(ref Calls),
            () => Interlocked.Increment(ref Retries),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The error of a failed call: AWS's <c>ErrorResponse</c> XML (code, message, request id), or, for anything else (an
    /// HTML page from a proxy or an emulator), a short summary with the status, a reason and the request id header.
    /// </summary>
    internal static AwsServiceException ParseError(string action, HttpStatusCode status, string body, string? reasonPhrase = null, string? headerRequestId = null)
    {
        string code = status >= HttpStatusCode.InternalServerError ? "InternalFailure" : "UnknownError";
        string? message = null, requestId = headerRequestId;
        try
        {
            var root = XDocument.Parse(body).Root;
            var err = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            if (err is not null)
            {
                code = Child(err, "Code") ?? code;
                message = Child(err, "Message");
                requestId = Child(root, "RequestId") ?? requestId;
            }
        }
        catch (System.Xml.XmlException)
        {
        }

        message ??= AwsErrorResponse.Summarize(status, reasonPhrase, body);

        var kind = code switch
        {
            "ValidationError" => AwsErrorKind.Validation,
            "AlreadyExistsException" => AwsErrorKind.AlreadyExists,
            "InsufficientCapabilitiesException" => AwsErrorKind.InsufficientCapabilities,
            "TokenAlreadyExistsException" => AwsErrorKind.TokenAlreadyExists,
            "ChangeSetNotFound" or "ChangeSetNotFoundException" => AwsErrorKind.ChangeSetNotFound,
            "Throttling" or "ThrottlingException" or "RequestLimitExceeded" or "TooManyRequestsException" => AwsErrorKind.Throttling,
            _ when status >= HttpStatusCode.InternalServerError => AwsErrorKind.ServiceUnavailable,
            _ => AwsErrorKind.Other,
        };
        return new AwsServiceException(kind, code, message, status, requestId, action);
    }

    internal static string? Child(XElement? e, string name) => e?.Elements().FirstOrDefault(c => c.Name.LocalName == name)?.Value;

    private static IEnumerable<XElement> Members(XElement? e, string list) => e?.Elements().FirstOrDefault(c => c.Name.LocalName == list)?.Elements().Where(m => m.Name.LocalName == "member") ?? [];

    private static DateTimeOffset Time(string? text) => DateTimeOffset.Parse(text ?? "1970-01-01T00:00:00Z", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    // ------------------------------------------------------------------ operations

    /// <summary>Creates a change set; returns its id and the id (ARN) of its stack, which later calls use so that a newer stack of the same name is never read instead.</summary>
    public async Task<(string ChangeSetId, string? StackId)> CreateChangeSetAsync(CreateChangeSetInput input, CancellationToken cancellationToken)
    {
        var p = new List<KeyValuePair<string, string>>
        {
            new("StackName", input.StackName),
            new("ChangeSetName", input.ChangeSetName),
            new("ChangeSetType", input.ChangeSetType),
        };
        if (input.TemplateUrl is not null)
        {
            p.Add(new("TemplateURL", input.TemplateUrl));
        }
        else
        {
            p.Add(new("TemplateBody", input.TemplateBody ?? string.Empty));
        }

        var i = 1;
        foreach (var (k, v) in input.Parameters)
        {
            p.Add(new($"Parameters.member.{i}.ParameterKey", k));
            p.Add(new($"Parameters.member.{i++}.ParameterValue", v));
        }

        i = 1;
        foreach (var (k, v) in input.Tags)
        {
            p.Add(new($"Tags.member.{i}.Key", k));
            p.Add(new($"Tags.member.{i++}.Value", v));
        }

        i = 1;
        foreach (var c in input.Capabilities)
        {
            p.Add(new($"Capabilities.member.{i++}", c));
        }

        if (input.RoleArn is not null)
        {
            p.Add(new("RoleARN", input.RoleArn));
        }

        if (input.ClientToken is not null)
        {
            p.Add(new("ClientToken", input.ClientToken));
        }

        var result = await CallAsync("CreateChangeSet", p, cancellationToken).ConfigureAwait(false);
        return (Child(result, "Id") ?? input.ChangeSetName, Child(result, "StackId"));
    }

    public async Task<CfnChangeSet> DescribeChangeSetAsync(string stackName, string changeSetName, CancellationToken cancellationToken)
    {
        var changes = new List<CfnChange>();
        string? next = null;
        XElement result;
        do
        {
            var p = new List<KeyValuePair<string, string>> { new("StackName", stackName), new("ChangeSetName", changeSetName) };
            if (next is not null)
            {
                p.Add(new("NextToken", next));
            }

            result = await CallAsync("DescribeChangeSet", p, cancellationToken).ConfigureAwait(false);
            foreach (var m in Members(result, "Changes"))
            {
                var rc = m.Elements().FirstOrDefault(e => e.Name.LocalName == "ResourceChange");
                changes.Add(new CfnChange(Child(rc, "Action") ?? "Modify", Child(rc, "LogicalResourceId") ?? "?", Child(rc, "ResourceType") ?? "?", Child(rc, "Replacement")));
            }

            next = Child(result, "NextToken");
        }
        while (!string.IsNullOrEmpty(next));

        return new CfnChangeSet(Child(result, "Status") ?? "UNKNOWN", Child(result, "StatusReason"), Child(result, "ExecutionStatus"), changes, Child(result, "StackId"));
    }

    public Task ExecuteChangeSetAsync(string stackName, string changeSetName, string? token, CancellationToken cancellationToken)
    {
        var p = new List<KeyValuePair<string, string>> { new("StackName", stackName), new("ChangeSetName", changeSetName) };
        if (token is not null)
        {
            p.Add(new("ClientRequestToken", token));
        }

        return CallAsync("ExecuteChangeSet", p, cancellationToken);
    }

    public Task DeleteChangeSetAsync(string stackName, string changeSetName, CancellationToken cancellationToken)
        => CallAsync("DeleteChangeSet", [new("StackName", stackName), new("ChangeSetName", changeSetName)], cancellationToken);

    /// <summary>The stack, or null when it does not exist.</summary>
    public async Task<CfnStack?> DescribeStackAsync(string stackName, CancellationToken cancellationToken)
    {
        XElement result;
        try
        {
            result = await CallAsync("DescribeStacks", [new("StackName", stackName)], cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.Kind == AwsErrorKind.Validation && ex.ServiceMessage.Contains("does not exist", StringComparison.Ordinal))
        {
            return null;
        }

        var s = Members(result, "Stacks").FirstOrDefault();
        if (s is null)
        {
            return null;
        }

        var outputs = Members(s, "Outputs").ToDictionary(o => Child(o, "OutputKey") ?? "?", o => Child(o, "OutputValue") ?? string.Empty, StringComparer.Ordinal);
        return new CfnStack(Child(s, "StackName") ?? stackName, Child(s, "StackId") ?? stackName, Child(s, "StackStatus") ?? "UNKNOWN", Child(s, "StackStatusReason"), outputs);
    }

    /// <summary>One page of every live stack with tags, outputs, parameters, role and times (DescribeStacks without a name), and the next page's token.</summary>
    public async Task<(IReadOnlyList<Proton.Sdk.Migration.DiscoveredStack> Stacks, string? NextToken)> DescribeAllStacksAsync(string? nextToken, CancellationToken cancellationToken)
    {
        var p = new List<KeyValuePair<string, string>>();
        if (nextToken is not null)
        {
            p.Add(new("NextToken", nextToken));
        }

        var result = await CallAsync("DescribeStacks", p, cancellationToken).ConfigureAwait(false);
        var stacks = Members(result, "Stacks").Select(s => new Proton.Sdk.Migration.DiscoveredStack
        {
            StackName = Child(s, "StackName") ?? "?",
            StackId = Child(s, "StackId"),
            Status = Child(s, "StackStatus") ?? "UNKNOWN",
            Tags = Pairs(s, "Tags", "Key", "Value"),
            Outputs = Pairs(s, "Outputs", "OutputKey", "OutputValue"),
            Parameters = Pairs(s, "Parameters", "ParameterKey", "ParameterValue"),
            RoleArn = Child(s, "RoleARN"),
            CreatedAt = Child(s, "CreationTime") is { } c ? Time(c) : null,
            LastUpdatedAt = Child(s, "LastUpdatedTime") is { } u ? Time(u) : null,
        }).ToList();
        var next = Child(result, "NextToken");
        return (stacks, string.IsNullOrEmpty(next) ? null : next);
    }

    private static Dictionary<string, string> Pairs(XElement s, string list, string key, string value)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in Members(s, list))
        {
            d[Child(m, key) ?? "?"] = Child(m, value) ?? string.Empty;
        }

        return d;
    }

    /// <summary>One page of events, newest first, and the token of the next (older) page.</summary>
    public async Task<(IReadOnlyList<CfnEvent> Events, string? NextToken)> DescribeStackEventsAsync(string stackName, string? nextToken, CancellationToken cancellationToken)
    {
        var p = new List<KeyValuePair<string, string>> { new("StackName", stackName) };
        if (nextToken is not null)
        {
            p.Add(new("NextToken", nextToken));
        }

        var result = await CallAsync("DescribeStackEvents", p, cancellationToken).ConfigureAwait(false);
        var events = Members(result, "StackEvents").Select(m => new CfnEvent(
            Child(m, "EventId") ?? Guid.NewGuid().ToString(),
            Time(Child(m, "Timestamp")),
            Child(m, "LogicalResourceId") ?? "?",
            Child(m, "PhysicalResourceId"),
            Child(m, "ResourceType") ?? "?",
            Child(m, "ResourceStatus") ?? "?",
            Child(m, "ResourceStatusReason"),
            Child(m, "ClientRequestToken"))).ToList();
        var next = Child(result, "NextToken");
        return (events, string.IsNullOrEmpty(next) ? null : next);
    }

    public async Task<IReadOnlyList<CfnResourceState>> DescribeStackResourcesAsync(string stackName, CancellationToken cancellationToken)
    {
        var result = await CallAsync("DescribeStackResources", [new("StackName", stackName)], cancellationToken).ConfigureAwait(false);
        return Members(result, "StackResources").Select(m => new CfnResourceState(Child(m, "LogicalResourceId") ?? "?", Child(m, "ResourceType") ?? "?", Child(m, "ResourceStatus") ?? "?", Child(m, "ResourceStatusReason"))).ToList();
    }

    public Task DeleteStackAsync(string stackName, string? token, string? roleArn, CancellationToken cancellationToken)
    {
        var p = new List<KeyValuePair<string, string>> { new("StackName", stackName) };
        if (token is not null)
        {
            p.Add(new("ClientRequestToken", token));
        }

        if (roleArn is not null)
        {
            p.Add(new("RoleARN", roleArn));
        }

        return CallAsync("DeleteStack", p, cancellationToken);
    }

    public Task CancelUpdateStackAsync(string stackName, CancellationToken cancellationToken)
        => CallAsync("CancelUpdateStack", [new("StackName", stackName)], cancellationToken);

    public Task ContinueUpdateRollbackAsync(string stackName, string? roleArn, string? token, CancellationToken cancellationToken)
    {
        var p = new List<KeyValuePair<string, string>> { new("StackName", stackName) };
        if (roleArn is not null)
        {
            p.Add(new("RoleARN", roleArn));
        }

        if (token is not null)
        {
            p.Add(new("ClientRequestToken", token));
        }

        return CallAsync("ContinueUpdateRollback", p, cancellationToken);
    }

    public Task UpdateTerminationProtectionAsync(string stackName, bool enabled, CancellationToken cancellationToken)
        => CallAsync("UpdateTerminationProtection", [new("StackName", stackName), new("EnableTerminationProtection", enabled ? "true" : "false")], cancellationToken);

    /// <summary>The capabilities the template needs, as CloudFormation says.</summary>
    public async Task<IReadOnlyList<string>> ValidateTemplateAsync(string? body, string? url, CancellationToken cancellationToken)
    {
        var result = await CallAsync("ValidateTemplate", [url is null ? new("TemplateBody", body ?? string.Empty) : new("TemplateURL", url)], cancellationToken).ConfigureAwait(false);
        return Members(result, "Capabilities").Select(m => m.Value).ToList();
    }

    public async Task<string> GetTemplateAsync(string stackName, CancellationToken cancellationToken)
        => Child(await CallAsync("GetTemplate", [new("StackName", stackName), new("TemplateStage", "Original")], cancellationToken).ConfigureAwait(false), "TemplateBody") ?? string.Empty;

    /// <summary>The provider schema (JSON) of a resource type, from DescribeType.</summary>
    public async Task<string?> DescribeTypeSchemaAsync(string typeName, CancellationToken cancellationToken)
        => Child(await CallAsync("DescribeType", [new("Type", "RESOURCE"), new("TypeName", typeName)], cancellationToken).ConfigureAwait(false), "Schema");
}
