using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Proton.Sdk.Provisioning;

/// <summary>
/// Provisions offline, like <c>cdk synth</c>: writes each stack's rendered template, parameters and tags under
/// <see cref="LocalProvisionerOptions.RootDirectory"/>, reports the resource changes as events, and evaluates the
/// <c>Outputs</c> it can resolve statically (literals, <c>Ref</c> and <c>Fn::Sub</c> over parameters and pseudo
/// parameters, <c>Fn::Join</c>, <c>Fn::Select</c>). Values only a cloud can know (a resource's id or attribute) become
/// deterministic placeholders that start with <c>local:</c>. Secret values are masked in the files it writes.
/// </summary>
public sealed partial class LocalProvisioner : IProvisioner
{
    /// <summary>The prefix of every placeholder value.</summary>
    public const string PlaceholderPrefix = "local:";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly LocalProvisionerOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, byte> _busy = new(StringComparer.Ordinal);
    private readonly Lazy<byte[]> _hashKey;

    /// <summary>Creates the provisioner.</summary>
    /// <param name="options">Where and how; defaults when null.</param>
    /// <param name="timeProvider">The clock for event times.</param>
    public LocalProvisioner(LocalProvisionerOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new LocalProvisionerOptions();
        _time = timeProvider ?? TimeProvider.System;
        _hashKey = new Lazy<byte[]>(LoadOrCreateHashKey, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <inheritdoc />
    public string Name => "local";

    /// <summary>The folder of a stack.</summary>
    /// <param name="stackName">The stack.</param>
    /// <returns>The full path.</returns>
    public string StackDirectory(string stackName)
    {
        CheckStackName(stackName);
        return Path.GetFullPath(Path.Combine(_options.RootDirectory, stackName));
    }

    /// <inheritdoc />
    public Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dir = StackDirectory(request.StackName);
        var template = Parse(request);
        if (!_busy.TryAdd(dir, 0))
        {
            throw new ProvisioningException(ProvisioningErrorCodes.Busy, $"Stack {request.StackName} is busy with another operation.");
        }

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var state = ReadState(dir);
            var parameters = Parameters(template, request);
            var changes = Changes(template, parameters, state);
            var masked = Mask(parameters, template, request.SecretValues);
            var parametersChanged = state is not null && !SameMap(state.Parameters, masked);
            var tagsChanged = state is not null && !SameMap(state.Tags, request.Tags);
            if (state is not null && changes.Count == 0 && !parametersChanged && !tagsChanged && state.TemplateHash == Hash(request.TemplateBody))
            {
                return Task.FromResult(new ProvisionResult { Status = ProvisionStatus.NoChanges, State = CloudFormationStatus.ToStackState(state.Status), EngineStatus = state.Status, Outputs = state.Outputs, Message = "No changes." });
            }

            var creating = state is null;
            var op = creating ? "CREATE" : "UPDATE";
            Emit(progress, request.StackName, "AWS::CloudFormation::Stack", op + "_IN_PROGRESS");
            foreach (var change in changes)
            {
                var verb = change.Action switch { ResourceChangeAction.Add => "CREATE", ResourceChangeAction.Modify or ResourceChangeAction.Replace => "UPDATE", _ => "DELETE" };
                Emit(progress, change.Resource, change.ResourceType, verb + "_IN_PROGRESS");
                Emit(progress, change.Resource, change.ResourceType, verb + "_COMPLETE");
            }

            var outputs = new SortedDictionary<string, string>(Outputs(template, parameters, request.StackName).ToDictionary(kv => kv.Key, kv => SecretRedactor.Redact(kv.Value, request.SecretValues)), StringComparer.Ordinal);
            var newState = new LocalStackState
            {
                StackName = request.StackName,
                Status = op + "_COMPLETE",
                TemplateHash = Hash(request.TemplateBody),
                Parameters = masked,
                Tags = new SortedDictionary<string, string>(request.Tags.ToDictionary(), StringComparer.Ordinal),
                Outputs = outputs,
                Resources = template.Resources.ToDictionary(r => r.LogicalId, r => new LocalResource(r.Type, ResourceHash(r, parameters)), StringComparer.Ordinal),
                LastDeploymentId = request.DeploymentId,
                UpdatedAt = _time.GetUtcNow(),
            };
            Directory.CreateDirectory(dir);
            WriteAtomic(Path.Combine(dir, "template" + (request.TemplateBody.TrimStart().StartsWith('{') ? ".json" : ".yaml")), SecretRedactor.Redact(request.TemplateBody, request.SecretValues));
            WriteAtomic(Path.Combine(dir, "parameters.json"), JsonSerializer.Serialize(masked, Json));
            WriteAtomic(Path.Combine(dir, "tags.json"), JsonSerializer.Serialize(newState.Tags, Json));
            WriteAtomic(Path.Combine(dir, "outputs.json"), JsonSerializer.Serialize(outputs, Json));
            WriteAtomic(Path.Combine(dir, "state.json"), JsonSerializer.Serialize(newState, Json));
            Emit(progress, request.StackName, "AWS::CloudFormation::Stack", op + "_COMPLETE");
            return Task.FromResult(new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Succeeded, EngineStatus = newState.Status, Outputs = outputs, Message = $"{op.ToLowerInvariant()}d {request.StackName}: {changes.Count} resource change(s) written to {dir}" });
        }
        finally
        {
            _busy.TryRemove(dir, out _);
        }
    }

    /// <inheritdoc />
    public Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dir = StackDirectory(request.StackName);
        var template = Parse(request);
        var state = ReadState(dir);
        return Task.FromResult(new StackPlan(request.StackName, state is not null, Changes(template, Parameters(template, request), state)));
    }

    /// <inheritdoc />
    public Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        var dir = StackDirectory(stackName);
        if (!_busy.TryAdd(dir, 0))
        {
            throw new ProvisioningException(ProvisioningErrorCodes.Busy, $"Stack {stackName} is busy with another operation.");
        }

        try
        {
            var state = ReadState(dir);
            if (state is null)
            {
                return Task.FromResult(new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Deleted, EngineStatus = "DELETE_COMPLETE", Message = $"{stackName} does not exist." });
            }

            Emit(progress, stackName, "AWS::CloudFormation::Stack", "DELETE_IN_PROGRESS");
            foreach (var (id, r) in state.Resources.Reverse())
            {
                Emit(progress, id, r.Type, "DELETE_COMPLETE");
            }

            // state.json goes first so that a crash midway leaves no stack that looks alive.
            File.Delete(Path.Combine(dir, "state.json"));
            Directory.Delete(dir, recursive: true);
            Emit(progress, stackName, "AWS::CloudFormation::Stack", "DELETE_COMPLETE");
            return Task.FromResult(new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Deleted, EngineStatus = "DELETE_COMPLETE", Message = $"deleted {stackName}" });
        }
        finally
        {
            _busy.TryRemove(dir, out _);
        }
    }

    /// <inheritdoc />
    public Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var state = ReadState(StackDirectory(stackName));
        return Task.FromResult(state is null ? null : new StackDescription(stackName, CloudFormationStatus.ToStackState(state.Status)) { EngineStatus = state.Status, Outputs = state.Outputs, LastDeploymentId = state.LastDeploymentId });
    }

    private static CloudFormationTemplate Parse(DeployRequest request)
    {
        try
        {
            return CloudFormationTemplate.Parse(request.TemplateBody, request.StackName + " template");
        }
        catch (ProtonValidationException ex)
        {
            throw new ProvisioningException(ProvisioningErrorCodes.InvalidTemplate, ex.Message, ex);
        }
    }

    private static void CheckStackName(string stackName)
    {
        ArgumentException.ThrowIfNullOrEmpty(stackName);
        if (!StackNamePattern().IsMatch(stackName))
        {
            throw new ArgumentException($"'{stackName}' is not a valid stack name: a letter, then letters, digits and '-', at most 128 characters.", nameof(stackName));
        }
    }

    private static Dictionary<string, string> Parameters(CloudFormationTemplate template, DeployRequest request)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in template.Parameters.Values)
        {
            if (request.Parameters.TryGetValue(p.Name, out var v))
            {
                values[p.Name] = v;
            }
            else if (p.Default is not null)
            {
                values[p.Name] = p.Default;
            }
            else
            {
                throw new ProvisioningException(ProvisioningErrorCodes.MissingParameter, $"Stack {request.StackName}: parameter {p.Name} has no value and no default.");
            }
        }

        var unknown = request.Parameters.Keys.Where(k => !template.Parameters.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ProvisioningException(ProvisioningErrorCodes.UnknownParameter, $"Stack {request.StackName}: the template declares no parameter {string.Join(", ", unknown)}.");
        }

        return values;
    }

    private static SortedDictionary<string, string> Mask(Dictionary<string, string> parameters, CloudFormationTemplate template, IReadOnlyCollection<string> secrets)
        => new(parameters.ToDictionary(kv => kv.Key, kv => template.Parameters[kv.Key].NoEcho || secrets.Contains(kv.Value) ? SecretRedactor.Mask : kv.Value), StringComparer.Ordinal);

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
        => a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private List<ResourceChange> Changes(CloudFormationTemplate template, Dictionary<string, string> parameters, LocalStackState? state)
    {
        var changes = new List<ResourceChange>();
        foreach (var r in template.Resources)
        {
            if (state is null || !state.Resources.TryGetValue(r.LogicalId, out var old))
            {
                changes.Add(new ResourceChange(ResourceChangeAction.Add, r.LogicalId, r.Type));
            }
            else if (old.Type != r.Type)
            {
                changes.Add(new ResourceChange(ResourceChangeAction.Replace, r.LogicalId, r.Type));
            }
            else if (old.Hash != ResourceHash(r, parameters))
            {
                changes.Add(new ResourceChange(ResourceChangeAction.Modify, r.LogicalId, r.Type) { MayReplace = true });
            }
        }

        if (state is not null)
        {
            var now = template.Resources.Select(r => r.LogicalId).ToHashSet(StringComparer.Ordinal);
            changes.AddRange(state.Resources.Where(kv => !now.Contains(kv.Key)).Select(kv => new ResourceChange(ResourceChangeAction.Remove, kv.Key, kv.Value.Type)));
        }

        return changes;
    }

    /// <summary>A resource's properties with the parameter values they use, hashed with this store's key (see <see cref="Hash"/>).</summary>
    private string ResourceHash(CloudFormationResource r, Dictionary<string, string> parameters)
    {
        var json = JsonSerializer.Serialize(r.Properties);
        var sb = new StringBuilder(json);
        foreach (var (name, value) in parameters.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (json.Contains(name, StringComparison.Ordinal))
            {
                sb.Append('\0').Append(name).Append('=').Append(value);
            }
        }

        return Hash(sb.ToString());
    }

    /// <summary>
    /// HMAC-SHA256 with a random key kept beside the stacks (<c>.hash-key</c>, owner-only), so that nothing stored is a
    /// function of a secret that can be checked offline: with the state file alone, guessing a password and hashing it
    /// proves nothing.
    /// </summary>
    private string Hash(string text) => Convert.ToHexString(HMACSHA256.HashData(_hashKey.Value, Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private byte[] LoadOrCreateHashKey()
    {
        Directory.CreateDirectory(_options.RootDirectory);
        var path = Path.Combine(_options.RootDirectory, ".hash-key");
        for (var attempt = 0; ; attempt++)
        {
            if (File.Exists(path))
            {
                var existing = File.ReadAllBytes(path);
                if (existing.Length == 32)
                {
                    return existing;
                }
            }

            var key = RandomNumberGenerator.GetBytes(32);
            var temp = path + "." + Guid.NewGuid().ToString("N");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(key);
            }

            try
            {
                // The first writer wins; everyone then reads the same key.
                File.Move(temp, path, overwrite: false);
                return key;
            }
            catch (IOException) when (attempt < 3)
            {
                File.Delete(temp);
            }
        }
    }

    private SortedDictionary<string, string> Outputs(CloudFormationTemplate template, Dictionary<string, string> parameters, string stackName)
    {
        var outputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var resources = template.Resources.Select(r => r.LogicalId).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in template.Outputs)
        {
            outputs[name] = Resolve(value, parameters, resources, stackName, 0) switch
            {
                string s => s,
                List<string> list => string.Join(',', list),
                _ => $"{PlaceholderPrefix}{stackName}:unresolved:{name}",
            };
        }

        return outputs;
    }

    /// <summary>A string, a list of strings, or null when the value cannot be known offline.</summary>
    private object? Resolve(object? value, Dictionary<string, string> parameters, HashSet<string> resources, string stack, int depth)
    {
        if (depth > 32)
        {
            return null;
        }

        if (CloudFormationTemplate.Text(value) is { } text)
        {
            return text;
        }

        if (value is List<object?> items)
        {
            var list = new List<string>();
            foreach (var item in items)
            {
                switch (Resolve(item, parameters, resources, stack, depth + 1))
                {
                    case string s:
                        list.Add(s);
                        break;
                    case List<string> inner:
                        list.AddRange(inner);
                        break;
                    default:
                        return null;
                }
            }

            return list;
        }

        if (value is not Dictionary<string, object?> { Count: 1 } fn)
        {
            return null;
        }

        var (key, arg) = fn.First();
        switch (key)
        {
            case "Ref" when arg is string name:
                return Ref(name, parameters, resources, stack);
            case "Fn::GetAtt":
                var parts = arg is List<object?> l ? l.Select(CloudFormationTemplate.Text).ToList() : [.. (CloudFormationTemplate.Text(arg) ?? string.Empty).Split('.', 2)];
                return parts.Count == 2 && parts[0] is { } id && resources.Contains(id) ? $"{PlaceholderPrefix}{stack}:{id}.{parts[1]}" : null;
            case "Fn::Sub":
                return Sub(arg, parameters, resources, stack, depth);
            case "Fn::Join" when arg is List<object?> { Count: 2 } join && CloudFormationTemplate.Text(join[0]) is { } delimiter:
                return Resolve(join[1], parameters, resources, stack, depth + 1) is List<string> joined ? string.Join(delimiter, joined) : null;
            case "Fn::Select" when arg is List<object?> { Count: 2 } sel && CloudFormationTemplate.Text(Resolve(sel[0], parameters, resources, stack, depth + 1)) is { } index
                && int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i):
                return Resolve(sel[1], parameters, resources, stack, depth + 1) is List<string> options && i < options.Count ? options[i] : null;
            case "Fn::GetAZs":
                return new List<string> { _options.Region + "a", _options.Region + "b", _options.Region + "c" };
            default:
                return null;
        }
    }

    private string? Ref(string name, Dictionary<string, string> parameters, HashSet<string> resources, string stack) => name switch
    {
        "AWS::Region" => _options.Region,
        "AWS::AccountId" => _options.AccountId,
        "AWS::StackName" => stack,
        "AWS::StackId" => $"arn:aws:cloudformation:{_options.Region}:{_options.AccountId}:stack/{stack}/local",
        "AWS::Partition" => "aws",
        "AWS::URLSuffix" => "amazonaws.com",
        _ when parameters.TryGetValue(name, out var v) => v,
        _ when resources.Contains(name) => $"{PlaceholderPrefix}{stack}:{name}",
        _ => null,
    };

    private string? Sub(object? arg, Dictionary<string, string> parameters, HashSet<string> resources, string stack, int depth)
    {
        string? text;
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        if (arg is List<object?> { Count: 2 } pair && pair[0] is string t && pair[1] is Dictionary<string, object?> map)
        {
            text = t;
            foreach (var (k, v) in map)
            {
                if (Resolve(v, parameters, resources, stack, depth + 1) is not string s)
                {
                    return null;
                }

                vars[k] = s;
            }
        }
        else
        {
            text = arg as string;
        }

        if (text is null)
        {
            return null;
        }

        var unresolved = false;
        var result = SubPattern().Replace(text, m =>
        {
            var name = m.Groups[1].Value;
            if (name.StartsWith('!'))
            {
                return "${" + name[1..] + "}";
            }

            if (vars.TryGetValue(name, out var v))
            {
                return v;
            }

            var dot = name.IndexOf('.', StringComparison.Ordinal);
            var r = dot > 0 && !name.StartsWith("AWS::", StringComparison.Ordinal)
                ? (resources.Contains(name[..dot]) ? $"{PlaceholderPrefix}{stack}:{name}" : null)
                : Ref(name, parameters, resources, stack);
            unresolved |= r is null;
            return r ?? string.Empty;
        });
        return unresolved ? null : result;
    }

    private void Emit(IProgress<ProvisioningEvent>? progress, string logicalId, string type, string status)
        => progress?.Report(CloudFormationStatus.ToEvent(_time.GetUtcNow(), logicalId, type, status));

    private static LocalStackState? ReadState(string dir)
    {
        var path = Path.Combine(dir, "state.json");
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<LocalStackState>(File.ReadAllText(path)) ?? throw new JsonException("empty document");
        }
        catch (JsonException ex)
        {
            throw new ProvisioningException(ProvisioningErrorCodes.StateCorrupt, $"{path}: the local stack state cannot be read ({ex.Message}).", ex);
        }
    }

    private static void WriteAtomic(string path, string text)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex StackNamePattern();

    [GeneratedRegex(@"\$\{([^}]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex SubPattern();

    private sealed record LocalResource(string Type, string Hash);

    private sealed record LocalStackState
    {
        public required string StackName { get; init; }

        public required string Status { get; init; }

        public required string TemplateHash { get; init; }

        public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

        public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

        public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

        public Dictionary<string, LocalResource> Resources { get; init; } = [];

        public string? LastDeploymentId { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }
    }
}
