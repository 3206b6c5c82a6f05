using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Proton.Sdk.Api;

/// <summary>An operation's JSON input, with Proton's validation messages for missing or malformed members.</summary>
internal sealed class ApiRequest(string operation, JsonElement root)
{
    public string Operation { get; } = operation;

    /// <summary>The member object; anything else (a list item that is a number, say) is Proton's validation error.</summary>
    public JsonElement Root { get; } = root.ValueKind == JsonValueKind.Object
        ? root
        : throw ProtonApiException.Validation($"1 validation error detected: a member of {operation}'s input must be a structure, not {(root.ValueKind == JsonValueKind.Undefined ? "nothing" : root.ValueKind.ToString().ToLowerInvariant())}");

    public string Required(string name)
        => Optional(name) ?? throw ProtonApiException.Validation($"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null");

    public string? Optional(string name)
    {
        if (!Root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            throw ProtonApiException.Validation($"1 validation error detected: Value at '{name}' failed to satisfy constraint: Member must be a string");
        }

        var s = v.GetString()!;
        return s.Length == 0 ? throw ProtonApiException.Validation($"1 validation error detected: Value '' at '{name}' failed to satisfy constraint: Member must have length greater than or equal to 1") : s;
    }

    public JsonElement? Element(string name)
        => Root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public int? Int(string name, int min, int max)
    {
        if (Element(name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i) || i < min || i > max)
        {
            throw ProtonApiException.Validation($"1 validation error detected: Value at '{name}' failed to satisfy constraint: Member must be an integer between {min} and {max}");
        }

        return i;
    }

    public string Enum(string name, params string[] allowed)
    {
        var v = Required(name);
        return allowed.Contains(v, StringComparer.Ordinal) ? v
            : throw ProtonApiException.Validation($"1 validation error detected: Value '{v}' at '{name}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
    }

    /// <summary>One page of <paramref name="items"/> after <c>nextToken</c>, and the token of the next page (null on the last).</summary>
    public (IReadOnlyList<T> Page, string? NextToken) Page<T>(IReadOnlyList<T> items, int defaultSize)
    {
        var size = Int("maxResults", 1, 100) ?? defaultSize;
        var offset = 0;
        if (Optional("nextToken") is { } token)
        {
            offset = DecodeToken(token);
        }

        var page = items.Skip(offset).Take(size).ToList();
        var next = offset + page.Count < items.Count ? EncodeToken(offset + page.Count) : null;
        return (page, next);
    }

    private int DecodeToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var prefix = Operation + ":";
            if (text.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(text[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
        }

        throw ProtonApiException.Validation("The nextToken is not valid for this operation: pass the nextToken of the previous page unchanged.");
    }

    private string EncodeToken(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Operation + ":" + offset.ToString(CultureInfo.InvariantCulture)));
}
