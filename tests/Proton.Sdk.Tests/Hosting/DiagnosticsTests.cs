using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Proton.Sdk.Platform;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Platform;

namespace Proton.Sdk.Tests.Hosting;

public sealed class DiagnosticsTests
{
    [Fact]
    public async Task Deployments_AreLoggedTracedAndCounted_WithoutSecrets()
    {
        var logs = new ConcurrentQueue<string>();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new CaptureProvider(logs)));
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ProtonDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentQueue<(string Name, double Value, string Tags)>();
        using var meters = new MeterListener { InstrumentPublished = (i, l) => { if (i.Meter.Name == ProtonDiagnostics.MeterName) { l.EnableMeasurementEvents(i); } } };
        meters.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        meters.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        meters.Start();

        var provisioner = new ScriptedProvisioner();
        var platform = new ProtonPlatform(new InMemoryProtonStore(), provisioner, logger: factory.CreateLogger<ProtonPlatform>());
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        await PlatformKit.RegisterAsync(platform, "env", PlatformKit.Env("db_password:\n  type: string\n  format: password\n  default: ''"), "1.0.0");
        var d = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env", Inputs = new Dictionary<string, object?> { ["db_password"] = "hunter2-in-logs?" } });
        provisioner.FailNext["dev"] = 1;
        await platform.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion, Inputs = new Dictionary<string, object?> { ["db_password"] = "hunter2-in-logs?" } });

        Assert.Contains(logs, l => l.Contains($"Deployment {d.Id} of environment dev started", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.StartsWith("Debug", StringComparison.Ordinal) && l.Contains("Provisioning event for dev", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("hunter2", StringComparison.Ordinal));
        Assert.Contains(activities, a => a.OperationName == "proton.deployment" && (string?)a.GetTagItem("proton.deployment.id") == d.Id && a.Status == ActivityStatusCode.Ok);
        Assert.Contains(activities, a => a.OperationName == "proton.deployment" && a.Status == ActivityStatusCode.Error);
        Assert.Contains(activities, a => a.OperationName == "proton.register");
        Assert.Contains(activities, a => a.OperationName == "proton.render");
        Assert.DoesNotContain(activities.SelectMany(a => a.TagObjects), t => (t.Value?.ToString() ?? string.Empty).Contains("hunter2", StringComparison.Ordinal));
        Assert.Contains(measurements, m => m.Name == "proton.deployments" && m.Tags.Contains("status=Succeeded", StringComparison.Ordinal));
        Assert.Contains(measurements, m => m.Name == "proton.deployments" && m.Tags.Contains("status=Failed", StringComparison.Ordinal));
        Assert.Contains(measurements, m => m.Name == "proton.deployment.duration");
        Assert.Contains(measurements, m => m.Name == "proton.renders");
    }

    private sealed class CaptureProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capture(sink);

        public void Dispose()
        {
        }

        private sealed class Capture(ConcurrentQueue<string> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => sink.Enqueue($"{logLevel} {formatter(state, exception)} {state}");
        }
    }
}
