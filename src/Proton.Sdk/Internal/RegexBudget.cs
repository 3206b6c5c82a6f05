namespace Proton.Sdk.Internal;

/// <summary>
/// The time that schema patterns may spend matching during one call of <c>SchemaParser.Parse</c> or one validation by
/// <c>SpecValidator</c>, in total (each match also has <see cref="EcmaRegex.Timeout"/>). A pattern that times out once is not
/// tried again in the same call, and once the budget is used up no pattern is tried: a schema with a catastrophic pattern
/// and a thousand enum values costs seconds, not minutes.
/// </summary>
internal sealed class RegexBudget
{
    /// <summary>The total matching time of one call.</summary>
    public static readonly TimeSpan Total = TimeSpan.FromSeconds(2);

    private static readonly AsyncLocal<RegexBudget?> Active = new();

    private readonly long _started = TimeProvider.System.GetTimestamp();
    private readonly HashSet<string> _timedOut = new(StringComparer.Ordinal);

    /// <summary>The budget of the call in progress, or null outside one.</summary>
    public static RegexBudget? Current => Active.Value;

    /// <summary>True once the call has spent <see cref="Total"/>.</summary>
    public bool IsUsedUp => TimeProvider.System.GetElapsedTime(_started) >= Total;

    /// <summary>Starts a budget for the call, unless one is already running (an outer call's budget covers inner ones).</summary>
    /// <returns>Ends the budget when disposed.</returns>
    public static Scope Begin()
    {
        if (Active.Value is not null)
        {
            return default;
        }

        Active.Value = new RegexBudget();
        return new Scope(true);
    }

    /// <summary>True when <paramref name="pattern"/> timed out earlier in this call.</summary>
    public bool TimedOut(string pattern)
    {
        lock (_timedOut)
        {
            return _timedOut.Contains(pattern);
        }
    }

    /// <summary>Remembers that <paramref name="pattern"/> timed out.</summary>
    public void MarkTimedOut(string pattern)
    {
        lock (_timedOut)
        {
            _timedOut.Add(pattern);
        }
    }

    /// <summary>Ends the budget it started.</summary>
    internal readonly struct Scope(bool owns) : IDisposable
    {
        public void Dispose()
        {
            if (owns)
            {
                Active.Value = null;
            }
        }
    }
}
