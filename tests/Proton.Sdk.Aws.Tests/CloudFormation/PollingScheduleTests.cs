using Microsoft.Extensions.Time.Testing;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Aws.Tests.CloudFormation;

/// <summary>
/// How often the provisioner asks CloudFormation while a stack operation runs, on a fake clock moved in 10 ms steps:
/// quick first polls so that a short operation is noticed at once, then an adaptive backoff that bounds Describe calls.
/// </summary>
public sealed class PollingScheduleTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeCloudFormation _fake;
    private readonly HttpClient _http;

    public PollingScheduleTests()
    {
        _fake = new FakeCloudFormation(_clock) { EventPageSize = 100 }; // CloudFormation's page size: one call per poll
        _http = new HttpClient(_fake);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Deploys a stack whose operation takes <paramref name="duration"/>; returns the Describe* calls after ExecuteChangeSet (seconds after it) and how late the end was noticed.</summary>
    private async Task<(List<double> Calls, TimeSpan Noticed)> DeployTakingAsync(TimeSpan duration)
    {
        _fake.Scripts.Enqueue(new Script { Duration = duration });
        var p = new CloudFormationProvisioner(new CloudFormationClient(_http, new Uri("https://cloudformation.us-east-1.amazonaws.com/"), _clock, () => 0.5), null, new CloudFormationProvisionerOptions(), _clock, () => 0.5);
        var task = p.DeployAsync(new DeployRequest { StackName = "app", TemplateBody = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n", DeploymentId = "dep-1" });
        for (var guard = 0; !task.IsCompleted; guard++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Yield();
            Assert.True(guard < 2_000_000, "the deployment never finished");
        }

        var result = await task;
        Assert.Equal(ProvisionStatus.Succeeded, result.Status);
        var executed = _fake.Calls.Single(c => c.Action == "ExecuteChangeSet").At;
        var calls = _fake.Calls.SkipWhile(c => c.Action != "ExecuteChangeSet").Where(c => c.Action is "DescribeStacks" or "DescribeStackEvents")
            .Select(c => Math.Round((c.At - executed).TotalSeconds, 2)).ToList();
        return (calls, _clock.GetUtcNow() - _fake.Stacks["app"].FinishedAt!.Value);
    }

    private static int MostInAnyMinute(List<double> calls) => calls.Max(start => calls.Count(t => t >= start && t < start + 60));

    [Fact]
    public async Task OneSecondStack_IsNoticedWithinAQuarterSecond()
    {
        var (calls, noticed) = await DeployTakingAsync(TimeSpan.FromSeconds(1));

        Assert.True(noticed <= TimeSpan.FromMilliseconds(260), $"noticed {noticed.TotalMilliseconds} ms after the end; calls at {string.Join(", ", calls)}");
        Assert.Equal([0.25, 0.5, 0.75, 1.0, 1.0], calls); // four polls of the events, then DescribeStacks for the outputs
    }

    [Fact]
    public async Task TenSecondStack_QuickPollsThenOneASecond()
    {
        var (calls, noticed) = await DeployTakingAsync(TimeSpan.FromSeconds(10));

        // 250 ms for the first 2 s, then the 1 s minimum until a tenth of the time waited passes it; the end is seen within 1 s.
        Assert.Equal([0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 10.0], calls);
        Assert.True(noticed <= TimeSpan.FromSeconds(1), $"noticed {noticed} after the end");
    }

    [Fact]
    public async Task TenMinuteStack_BackoffBoundsTheCalls_AndTheEndIsSeenWithinATenth()
    {
        var (calls, noticed) = await DeployTakingAsync(TimeSpan.FromMinutes(10));

        // 8 quick polls in the first 2 s, 1 s apart to 10 s, then each a tenth of the time waited (less jitter), capped at 60 s:
        // 62 polls and the DescribeStacks for the outputs; at most 35 in any minute (the first), 3 in the last.
        var all = string.Join(", ", calls);
        Assert.True(noticed <= TimeSpan.FromSeconds(60), $"noticed {noticed} after the end");
        Assert.Equal(63, calls.Count);
        Assert.Equal(35, MostInAnyMinute(calls));
        Assert.True(calls.Count(t => t >= calls[^1] - 60) <= 3, all);
        Assert.Equal([0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.05], calls.Take(18));
    }

    [Theory]
    [InlineData(0, 250)]
    [InlineData(1_999, 250)]
    [InlineData(2_000, 1_000)]
    [InlineData(30_000, 2_850)] // a tenth of 30 s, less the jitter (0.5 of up to 10 %)
    [InlineData(3_600_000, 57_000)] // capped at MaxPollInterval
    public void NextInterval_FirstQuick_ThenATenthOfTheWaitBetweenMinAndMax(int elapsedMs, int expectedMs)
    {
        var p = new CloudFormationProvisioner(new CloudFormationClient(_http, new Uri("https://cloudformation.us-east-1.amazonaws.com/"), _clock, () => 0.5), null, new CloudFormationProvisionerOptions(), _clock, () => 0.5);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), p.NextInterval(TimeSpan.FromMilliseconds(elapsedMs)));
    }
}
