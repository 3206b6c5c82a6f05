using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Terraform.Internal;

/// <summary>Reads terraform's machine-readable UI (<c>-json</c>, one JSON object a line) into neutral events, failures and counts.</summary>
internal sealed partial class TerraformUi(string stackName, IReadOnlyCollection<string> secrets, IProgress<ProvisioningEvent>? progress, TimeProvider time)
{
    public List<ResourceFailure> Failures { get; } = [];

    public int Changes { get; private set; }

    public bool SawSummary { get; private set; }

    public bool OutputsChange { get; private set; }

    public string? Summary { get; private set; }

    public void OnLine(string line)
    {
        if (line.Length == 0 || line[0] != '{')
        {
            return;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException)
        {
            return;
        }

        switch ((string?)node?["type"])
        {
            case "apply_start":
                Emit(node!, ResourceEventStatus.InProgress);
                break;
            case "apply_complete":
                Emit(node!, ResourceEventStatus.Succeeded);
                break;
            case "apply_errored":
                Emit(node!, ResourceEventStatus.Failed);
                break;
            case "diagnostic":
                if (node!["diagnostic"] is { } diagnostic && (string?)diagnostic["severity"] == "error")
                {
                    Diagnostic(diagnostic);
                }

                break;
            case "change_summary":
                var c = node!["changes"];
                Changes = ((int?)c?["add"] ?? 0) + ((int?)c?["change"] ?? 0) + ((int?)c?["remove"] ?? 0) + ((int?)c?["import"] ?? 0);
                SawSummary = true;
                Summary = (string?)node["@message"];
                break;
            case "outputs":
                OutputsChange |= node!["outputs"] is JsonObject outs && outs.Any(o => (string?)o.Value?["action"] is { } a && a != "noop");
                break;
        }
    }

    private void Emit(JsonNode node, ResourceEventStatus status)
    {
        var hook = node["hook"];
        var resource = hook?["resource"];
        var address = (string?)resource?["addr"] ?? stackName;
        var type = (string?)resource?["resource_type"] ?? "terraform";
        var message = status == ResourceEventStatus.Failed ? SecretRedactor.Redact((string?)node["@message"], secrets) : null;
        progress?.Report(new ProvisioningEvent(Timestamp(node), address, type, status, message)
        {
            Action = Action((string?)hook?["action"]),
            EngineStatus = (string?)node["type"],
            PhysicalId = SecretRedactor.Redact((string?)hook?["id_value"], secrets),
        });
    }

    private void Diagnostic(JsonNode d)
    {
        var summary = (string?)d["summary"] ?? "error";
        var detail = (string?)d["detail"];
        var address = (string?)d["address"];
        if (address is null && (string?)d["snippet"]?["context"] is { } context && ResourceContext().Match(context) is { Success: true } m)
        {
            address = m.Groups[1].Value + "." + m.Groups[2].Value;
        }

        var reason = SecretRedactor.Redact(string.IsNullOrEmpty(detail) ? summary : summary + ": " + detail, secrets);
        var failure = new ResourceFailure(address ?? stackName, address is null ? "terraform" : TypeOf(address), "error", reason)
        {
            File = (string?)d["range"]?["filename"],
            Line = (int?)d["range"]?["start"]?["line"],
        };
        Failures.Add(failure);
        if (address is not null)
        {
            progress?.Report(new ProvisioningEvent(time.GetUtcNow(), address, failure.ResourceType, ResourceEventStatus.Failed, reason) { EngineStatus = "diagnostic" });
        }
    }

    /// <summary>The resource type of an address: <c>module.a.aws_s3_bucket.b[0]</c> is <c>aws_s3_bucket</c>.</summary>
    public static string TypeOf(string address)
    {
        var parts = address.Split('.');
        var i = 0;
        while (i < parts.Length - 1 && (parts[i] == "module" || parts[i] == "data"))
        {
            i += parts[i] == "module" ? 2 : 1;
        }

        return i < parts.Length ? parts[i] : "terraform";
    }

    public static ResourceAction Action(string? action) => action switch
    {
        "create" => ResourceAction.Create,
        "update" => ResourceAction.Update,
        "replace" => ResourceAction.Replace,
        "delete" => ResourceAction.Delete,
        "read" => ResourceAction.Read,
        _ => ResourceAction.Unknown,
    };

    private DateTimeOffset Timestamp(JsonNode node)
        => (string?)node["@timestamp"] is { } t && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : time.GetUtcNow();

    [GeneratedRegex("^resource \"([^\"]+)\" \"([^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceContext();
}
