using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Proton.Sdk.Internal;

/// <summary>Schema patterns as ECMAScript regular expressions, compiled once, always with a time-out.</summary>
internal static class EcmaRegex
{
    private static readonly ConcurrentDictionary<string, (Regex? Regex, string? Error)> Cache = new(StringComparer.Ordinal);

    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(1);

    public static bool TryGet(string pattern, out Regex? regex, out string? error)
    {
        var entry = Cache.GetOrAdd(pattern, static p =>
        {
            try
            {
                return (new Regex(p, RegexOptions.ECMAScript | RegexOptions.CultureInvariant, Timeout), null);
            }
            catch (ArgumentException ex)
            {
                return (null, ex.Message);
            }
        });
        if (Cache.Count > 10_000)
        {
            Cache.Clear();
        }

        regex = entry.Regex;
        error = entry.Error;
        return regex is not null;
    }
}
