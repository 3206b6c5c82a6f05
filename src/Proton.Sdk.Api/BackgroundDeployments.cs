using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Proton.Sdk.Platform;

namespace Proton.Sdk.Api;

/// <summary>
/// Runs platform work past the request, as Proton did: a request returns once the deployment has been recorded (its
/// first progress report, when the resource already reads <c>IN_PROGRESS</c>) or once the work ends, whichever comes
/// first, so input errors still answer the request. Work still running at shutdown is cancelled (the platform records it
/// as cancelled).
/// </summary>
internal sealed partial class BackgroundDeployments(ILogger<BackgroundDeployments> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, string> _running = new();

    /// <summary>The work still running (for tests and shutdown).</summary>
    public int RunningCount => _running.Count;

    /// <summary>Starts <paramref name="work"/>; returns when it has started a deployment or has ended (rethrowing its error).</summary>
    /// <param name="what">What runs, for the log.</param>
    /// <param name="work">The platform call.</param>
    public async Task StartAsync(string what, Func<IProgress<DeploymentProgress>, CancellationToken, Task> work)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var signal = new StartSignal(started);
        var token = _stopping.Token;
        var task = Task.Run(() => work(signal, token), CancellationToken.None);
        _running[task] = what;
        _ = task.ContinueWith(
            t =>
            {
                _running.TryRemove(t, out _);
                if (t.IsFaulted && started.Task.IsCompleted)
                {
                    Log.BackgroundFailed(logger, what, t.Exception!.GetBaseException().GetType().Name, t.Exception.GetBaseException().Message);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        var first = await Task.WhenAny(started.Task, task).ConfigureAwait(false);
        if (first == task)
        {
            started.TrySetResult();
            await task.ConfigureAwait(false);
        }
    }

    /// <summary>Waits until no work runs (tests).</summary>
    /// <param name="timeout">How long at most.</param>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!_running.IsEmpty)
        {
            if (TimeProvider.System.GetElapsedTime(started) > timeout)
            {
                return false;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        return true;
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // shutdown waits for whatever ends the work; each outcome is recorded by the platform
        catch (Exception)
#pragma warning restore CA1031
        {
            // Ended by the cancellation above or by the shutdown timeout; the platform has recorded each outcome.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private sealed class StartSignal(TaskCompletionSource started) : IProgress<DeploymentProgress>
    {
        public void Report(DeploymentProgress value) => started.TrySetResult();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Background work {What} failed after it started: {ErrorType}: {Error}")]
        public static partial void BackgroundFailed(ILogger logger, string what, string errorType, string error);
    }
}
