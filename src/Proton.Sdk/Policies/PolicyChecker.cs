using System.Text.Json;

namespace Proton.Sdk.Policies;

/// <summary>
/// Evaluates an identity policy document for a list of actions: Allow and Deny statements, <c>Action</c> and
/// <c>NotAction</c>, wildcards (<c>*</c>, <c>?</c>) matched case-insensitively. Resources and conditions are not
/// evaluated: a statement counts for every resource (so a policy that passes may still be narrower in practice).
/// </summary>
public static class PolicyChecker
{
    /// <summary>Checks a policy document.</summary>
    /// <param name="policyJson">The policy (JSON).</param>
    /// <param name="actions">The actions needed.</param>
    /// <returns>The missing and denied actions.</returns>
    /// <exception cref="ProtonException"><c>policy.invalid-document</c>, naming what is wrong.</exception>
    public static PolicyCheckResult Check(string policyJson, IEnumerable<string> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var statements = Parse(policyJson);
        var missing = new List<string>();
        var denied = new List<string>();
        foreach (var action in actions.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (statements.Any(s => !s.Allow && s.Matches(action)))
            {
                denied.Add(action);
            }
            else if (!statements.Any(s => s.Allow && s.Matches(action)))
            {
                missing.Add(action);
            }
        }

        return new PolicyCheckResult(missing, denied);
    }

    private sealed record Statement(bool Allow, IReadOnlyList<string> Patterns, bool Not)
    {
        public bool Matches(string action) => Patterns.Any(p => Glob(p, action)) != Not;
    }

    /// <summary>IAM wildcard matching, case-insensitive: <c>*</c> any run of characters, <c>?</c> one character.</summary>
    internal static bool Glob(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static List<Statement> Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ProtonException(PolicyErrorCodes.InvalidDocument, $"The policy is not JSON: {ex.Message}");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("Statement", out var st))
            {
                throw new ProtonException(PolicyErrorCodes.InvalidDocument, "The policy has no Statement.");
            }

            var list = new List<Statement>();
            var items = st.ValueKind == JsonValueKind.Array ? st.EnumerateArray().ToList() : [st];
            for (var i = 0; i < items.Count; i++)
            {
                var s = items[i];
                var effect = s.TryGetProperty("Effect", out var e) ? e.GetString() : null;
                if (effect is not ("Allow" or "Deny"))
                {
                    throw new ProtonException(PolicyErrorCodes.InvalidDocument, $"Statement[{i}]: Effect must be Allow or Deny, not '{effect}'.");
                }

                var hasAction = s.TryGetProperty("Action", out var a);
                var hasNot = s.TryGetProperty("NotAction", out var na);
                if (hasAction == hasNot)
                {
                    throw new ProtonException(PolicyErrorCodes.InvalidDocument, $"Statement[{i}]: give exactly one of Action and NotAction.");
                }

                var value = hasAction ? a : na;
                var patterns = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList() : [value.GetString() ?? string.Empty];
                list.Add(new Statement(effect == "Allow", patterns, hasNot));
            }

            return list;
        }
    }
}
