using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Proton.Sdk.Aws.Tests.CloudFormation;

/// <summary>What the next stack operation does: how long it takes, how it ends, which resources it touches.</summary>
internal sealed record Script
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The terminal stack status (CREATE_COMPLETE, ROLLBACK_COMPLETE, UPDATE_ROLLBACK_COMPLETE, DELETE_FAILED, ...).</summary>
    public string? Outcome { get; init; }

    public string[] Resources { get; init; } = ["Queue"];

    /// <summary>Resource failures (logical id, reason), oldest first; a cancelled follower is added after them.</summary>
    public (string LogicalId, string Reason)[] Failures { get; init; } = [];

    public Dictionary<string, string> Outputs { get; init; } = new() { ["QueueUrl"] = "https://sqs/queue" };
}

/// <summary>
/// A CloudFormation Query API endpoint in memory: the response shapes of AWS's API reference (XML in the 2010-05-15
/// namespace, ErrorResponse on errors), stacks whose operations take scripted time on a <see cref="FakeTimeProvider"/>,
/// events paged newest first with NextToken, and errors injected per action.
/// </summary>
internal sealed class FakeCloudFormation(FakeTimeProvider clock) : HttpMessageHandler
{
    private const string Ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
    private readonly object _gate = new();

    public Dictionary<string, Stack> Stacks { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<Script> Scripts { get; } = new();

    public List<(DateTimeOffset At, string Action, Dictionary<string, string> Form)> Calls { get; } = [];

    /// <summary>Errors to return for the next calls of an action: (status, code, message).</summary>
    public Dictionary<string, Queue<(HttpStatusCode Status, string Code, string Message)>> Errors { get; } = new(StringComparer.Ordinal);

    public int EventPageSize { get; set; } = 3;

    /// <summary>Every stack ever made, live, deleted or replaced: readable by its id (as in CloudFormation).</summary>
    public List<Stack> All { get; } = [];

    /// <summary>Called after each call is served, with the action, under the fake's lock.</summary>
    public Action<string>? AfterCall { get; set; }

    private static int s_ids;

    public string? ChangeSetFailure { get; set; }

    public sealed class Stack
    {
        public required string Name { get; init; }

        private string? _id;

        public string Id => _id ??= $"arn:aws:cloudformation:us-east-1:123456789012:stack/{Name}/{Interlocked.Increment(ref s_ids):D8}";

        public string Status { get; set; } = "REVIEW_IN_PROGRESS";

        public Dictionary<string, string> Outputs { get; set; } = [];

        public List<(DateTimeOffset At, string Logical, string Type, string Status, string? Reason, string? Token)> Events { get; } = [];

        public Dictionary<string, (string Type, string Status, string? Reason, Script Script, string? ExecStatus)> ChangeSets { get; } = [];

        public (DateTimeOffset End, string Final, Script Script)? Running { get; set; }

        public List<(string Logical, string Type, string Status, string? Reason)> Resources { get; } = [];

        public DateTimeOffset? FinishedAt { get; set; }
    }

    public Stack Seed(string name, string status, Dictionary<string, string>? outputs = null)
    {
        var s = new Stack { Name = name, Status = status, Outputs = outputs ?? [] };
        s.Events.Add((clock.GetUtcNow().AddHours(-1), name, "AWS::CloudFormation::Stack", status, null, "old-token"));
        Stacks[name] = s;
        All.Add(s);
        return s;
    }

    /// <summary>
    /// Someone else replaces the stack of that name: the old one (still running, still readable by its id) leaves the
    /// name, and a new, finished stack with other outputs takes it.
    /// </summary>
    public Stack ReplaceByName(string name, Dictionary<string, string> outputs)
    {
        var impostor = new Stack { Name = name, Status = "CREATE_COMPLETE", Outputs = outputs };
        impostor.Events.Add((clock.GetUtcNow(), name, "AWS::CloudFormation::Stack", "CREATE_COMPLETE", null, null));
        Stacks[name] = impostor;
        All.Add(impostor);
        return impostor;
    }

    public int CountSince(DateTimeOffset since, params string[] actions)
    {
        lock (_gate)
        {
            return Calls.Count(c => c.At >= since && actions.Contains(c.Action));
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.ElementAtOrDefault(1) ?? string.Empty), StringComparer.Ordinal);
        var action = form["Action"];
        lock (_gate)
        {
            Calls.Add((clock.GetUtcNow(), action, form));
            if (Errors.TryGetValue(action, out var queue) && queue.Count > 0)
            {
                var (status, code, message) = queue.Dequeue();
                return Xml(status, $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{Esc(message)}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>");
            }

            foreach (var s in All.ToList())
            {
                Advance(s);
            }

            var response = Handle(action, form);
            AfterCall?.Invoke(action);
            return response;
        }
    }

    /// <summary>Moves a running operation on with the clock: resource events at the midpoint, the terminal event at the end.</summary>
    private void Advance(Stack s)
    {
        if (s.Running is not { } run || clock.GetUtcNow() < run.End)
        {
            return;
        }

        var start = run.End - run.Script.Duration;
        var token = s.Events.LastOrDefault().Token;
        var mid = start + (run.Script.Duration / 2);
        var verb = run.Final.StartsWith("DELETE", StringComparison.Ordinal) ? "DELETE" : run.Final.StartsWith("UPDATE", StringComparison.Ordinal) ? "UPDATE" : "CREATE";
        if (run.Script.Failures.Length == 0)
        {
            foreach (var r in run.Script.Resources)
            {
                mid = mid.AddMilliseconds(2);
                s.Events.Add((mid, r, "AWS::SQS::Queue", verb + "_IN_PROGRESS", null, token));
                s.Events.Add((mid.AddMilliseconds(1), r, "AWS::SQS::Queue", run.Final.EndsWith("FAILED", StringComparison.Ordinal) ? verb + "_FAILED" : verb + "_COMPLETE", null, token));
            }
        }
        else
        {
            var i = 0;
            foreach (var (logical, reason) in run.Script.Failures)
            {
                s.Events.Add((mid.AddMilliseconds(i++), logical, "AWS::SQS::Queue", verb + "_FAILED", reason, token));
            }

            s.Events.Add((mid.AddMilliseconds(i), "Follower", "AWS::SNS::Topic", verb + "_FAILED", "Resource creation cancelled", token));
        }

        s.Events.Add((run.End, s.Name, "AWS::CloudFormation::Stack", run.Final, run.Final.EndsWith("COMPLETE", StringComparison.Ordinal) && !run.Final.Contains("ROLLBACK", StringComparison.Ordinal) ? null : "The following resource(s) failed", token));
        s.Status = run.Final;
        s.FinishedAt = run.End;
        if (run.Final is "CREATE_COMPLETE" or "UPDATE_COMPLETE")
        {
            s.Outputs = run.Script.Outputs;
        }

        if (run.Final == "DELETE_FAILED")
        {
            s.Resources.Add(("Bucket", "AWS::S3::Bucket", "DELETE_FAILED", "The bucket you tried to delete is not empty"));
        }

        if (run.Final == "DELETE_COMPLETE" && Stacks.GetValueOrDefault(s.Name) == s)
        {
            Stacks.Remove(s.Name);
        }

        s.Running = null;
    }

    private HttpResponseMessage Handle(string action, Dictionary<string, string> form)
    {
        var name = form.GetValueOrDefault("StackName") ?? string.Empty;
        Stack? stack;
        if (name.StartsWith("arn:", StringComparison.Ordinal))
        {
            // By id: the very stack, even deleted or no longer holding its name; a deleted one only for reads.
            stack = All.FirstOrDefault(s => s.Id == name);
            if (stack is not null && stack.Status == "DELETE_COMPLETE" && action is not ("DescribeStackEvents" or "DescribeStacks"))
            {
                stack = null;
            }
        }
        else
        {
            stack = Stacks.GetValueOrDefault(name);
        }

        switch (action)
        {
            case "DescribeStacks":
                if (stack is null)
                {
                    return Error("ValidationError", $"Stack with id {name} does not exist");
                }

                var outputs = string.Concat(stack.Outputs.Select(o => $"<member><OutputKey>{o.Key}</OutputKey><OutputValue>{Esc(o.Value)}</OutputValue></member>"));
                return Ok(action, $"<Stacks><member><StackName>{stack.Name}</StackName><StackId>{stack.Id}</StackId><StackStatus>{stack.Status}</StackStatus><CreationTime>2026-11-27T10:00:00Z</CreationTime><Outputs>{outputs}</Outputs></member></Stacks>");
            case "CreateChangeSet":
            {
                var type = form["ChangeSetType"];
                if (type == "CREATE" && stack is not null && stack.Status != "REVIEW_IN_PROGRESS")
                {
                    return Error("AlreadyExistsException", $"Stack [{name}] already exists", HttpStatusCode.BadRequest);
                }

                if (type == "UPDATE" && stack is null)
                {
                    return Error("ValidationError", $"Stack [{name}] does not exist");
                }

                if (stack is null)
                {
                    stack = Stacks[name] = new Stack { Name = name };
                    All.Add(stack);
                }
                var csName = form["ChangeSetName"];
                if (stack.ChangeSets.ContainsKey(csName))
                {
                    return Error("AlreadyExistsException", $"ChangeSet {csName} already exists", HttpStatusCode.BadRequest);
                }

                Scripts.TryDequeue(out var script);
                script ??= new Script();
                stack.ChangeSets[csName] = (type, ChangeSetFailure is null ? "CREATE_COMPLETE" : "FAILED", ChangeSetFailure, script, ChangeSetFailure is null ? "AVAILABLE" : "UNAVAILABLE");
                return Ok(action, $"<Id>arn:aws:cloudformation:us-east-1:123456789012:changeSet/{csName}/1</Id><StackId>{stack.Id}</StackId>");
            }

            case "DescribeChangeSet":
            {
                if (stack is null || !stack.ChangeSets.TryGetValue(form["ChangeSetName"], out var cs))
                {
                    return Error("ChangeSetNotFound", $"ChangeSet [{form.GetValueOrDefault("ChangeSetName")}] does not exist", HttpStatusCode.NotFound);
                }

                var page = form.GetValueOrDefault("NextToken") == "p2" ? 2 : 1;
                var changes = page == 1
                    ? "<member><Type>Resource</Type><ResourceChange><Action>Add</Action><LogicalResourceId>Queue</LogicalResourceId><ResourceType>AWS::SQS::Queue</ResourceType></ResourceChange></member>"
                    : "<member><Type>Resource</Type><ResourceChange><Action>Modify</Action><LogicalResourceId>Topic</LogicalResourceId><ResourceType>AWS::SNS::Topic</ResourceType><Replacement>True</Replacement></ResourceChange></member>";
                return Ok(action, $"<ChangeSetName>{form["ChangeSetName"]}</ChangeSetName><StackName>{stack.Name}</StackName><StackId>{stack.Id}</StackId><Status>{cs.Status}</Status><ExecutionStatus>{cs.ExecStatus}</ExecutionStatus>{(cs.Reason is null ? string.Empty : $"<StatusReason>{Esc(cs.Reason)}</StatusReason>")}<Changes>{changes}</Changes>{(page == 1 ? "<NextToken>p2</NextToken>" : string.Empty)}");
            }

            case "ExecuteChangeSet":
            {
                var cs = stack!.ChangeSets[form["ChangeSetName"]];
                if (stack.Events.Any(e => e.Token == form.GetValueOrDefault("ClientRequestToken")))
                {
                    return Error("TokenAlreadyExistsException", "token used", HttpStatusCode.BadRequest);
                }

                stack.ChangeSets[form["ChangeSetName"]] = cs with { ExecStatus = "EXECUTE_IN_PROGRESS" };
                var create = cs.Type == "CREATE";
                var outcome = cs.Script.Outcome ?? (create ? "CREATE_COMPLETE" : "UPDATE_COMPLETE");
                StartWithToken(stack, create ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS", outcome, cs.Script, form.GetValueOrDefault("ClientRequestToken"));
                return Ok(action, string.Empty);
            }

            case "DeleteChangeSet":
                stack?.ChangeSets.Remove(form["ChangeSetName"]);
                return Ok(action, string.Empty);
            case "DescribeStackEvents":
            {
                if (stack is null)
                {
                    return Error("ValidationError", $"Stack [{name}] does not exist");
                }

                var all = stack.Events.Where(e => e.At <= clock.GetUtcNow()).Select((e, i) => (e, i)).Reverse().ToList();
                var start = int.Parse(form.GetValueOrDefault("NextToken") ?? "0", CultureInfo.InvariantCulture);
                var page = all.Skip(start).Take(EventPageSize).ToList();
                var members = string.Concat(page.Select(x => $"<member><EventId>{x.i}</EventId><StackName>{stack.Name}</StackName><StackId>{stack.Id}</StackId><LogicalResourceId>{x.e.Logical}</LogicalResourceId><PhysicalResourceId>{(x.e.Type == "AWS::CloudFormation::Stack" ? stack.Id : "phys-" + x.e.Logical)}</PhysicalResourceId><ResourceType>{x.e.Type}</ResourceType><Timestamp>{x.e.At.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}</Timestamp><ResourceStatus>{x.e.Status}</ResourceStatus>{(x.e.Reason is null ? string.Empty : $"<ResourceStatusReason>{Esc(x.e.Reason)}</ResourceStatusReason>")}{(x.e.Token is null ? string.Empty : $"<ClientRequestToken>{x.e.Token}</ClientRequestToken>")}</member>"));
                var next = start + EventPageSize < all.Count ? $"<NextToken>{start + EventPageSize}</NextToken>" : string.Empty;
                return Ok(action, $"<StackEvents>{members}</StackEvents>{next}");
            }

            case "DescribeStackResources":
                return Ok(action, $"<StackResources>{string.Concat(stack!.Resources.Select(r => $"<member><LogicalResourceId>{r.Logical}</LogicalResourceId><ResourceType>{r.Type}</ResourceType><ResourceStatus>{r.Status}</ResourceStatus><ResourceStatusReason>{Esc(r.Reason ?? string.Empty)}</ResourceStatusReason></member>"))}</StackResources>");
            case "DeleteStack":
                if (stack is not null)
                {
                    Scripts.TryDequeue(out var script);
                    StartWithToken(stack, "DELETE_IN_PROGRESS", script?.Outcome ?? "DELETE_COMPLETE", script ?? new Script { Duration = TimeSpan.FromSeconds(4) }, form.GetValueOrDefault("ClientRequestToken"));
                }

                return Ok(action, string.Empty);
            case "ContinueUpdateRollback":
                StartWithToken(stack!, "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE", new Script { Duration = TimeSpan.FromSeconds(6) }, form.GetValueOrDefault("ClientRequestToken"));
                return Ok(action, string.Empty);
            case "CancelUpdateStack":
                stack!.Running = (clock.GetUtcNow() + TimeSpan.FromSeconds(5), "UPDATE_ROLLBACK_COMPLETE", new Script { Duration = TimeSpan.FromSeconds(5) });
                return Ok(action, string.Empty);
            case "ValidateTemplate":
                return form.GetValueOrDefault("TemplateBody") is { } tb && tb.Contains("AWS::IAM::Role", StringComparison.Ordinal)
                    ? Ok(action, "<Parameters/><Capabilities><member>CAPABILITY_IAM</member></Capabilities><CapabilitiesReason>The following resource(s) require capabilities: [AWS::IAM::Role]</CapabilitiesReason>")
                    : Ok(action, "<Parameters/>");
            case "GetTemplate":
                return stack is null ? Error("ValidationError", $"Stack with id {name} does not exist") : Ok(action, $"<TemplateBody>{Esc("Resources: {}")}</TemplateBody><StagesAvailable><member>Original</member></StagesAvailable>");
            case "UpdateTerminationProtection":
                return stack is null ? Error("ValidationError", $"Stack [{name}] does not exist") : Ok(action, $"<StackId>{stack.Id}</StackId>");
            case "DescribeType":
                return Ok(action, $"<TypeName>{form["TypeName"]}</TypeName><Schema>{Esc("{\"typeName\":\"" + form["TypeName"] + "\",\"handlers\":{\"create\":{\"permissions\":[\"sqs:CreateQueue\"]}}}")}</Schema>");
            default:
                return Error("InvalidAction", $"{action} is not faked", HttpStatusCode.BadRequest);
        }
    }

    private void StartWithToken(Stack s, string inProgress, string final, Script script, string? token)
    {
        s.Status = inProgress;
        s.Events.Add((clock.GetUtcNow(), s.Name, "AWS::CloudFormation::Stack", inProgress, "User Initiated", token));
        s.Running = (clock.GetUtcNow() + script.Duration, final, script);
    }

    private static string Esc(string s) => SecurityElement.Escape(s);

    private static HttpResponseMessage Ok(string action, string inner)
        => Xml(HttpStatusCode.OK, $"<{action}Response xmlns=\"{Ns}\"><{action}Result>{inner}</{action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></{action}Response>");

    private static HttpResponseMessage Error(string code, string message, HttpStatusCode status = HttpStatusCode.BadRequest)
        => Xml(status, $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{Esc(message)}</Message></Error><RequestId>req-2</RequestId></ErrorResponse>");

    private static HttpResponseMessage Xml(HttpStatusCode status, string xml) => new(status) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };
}
