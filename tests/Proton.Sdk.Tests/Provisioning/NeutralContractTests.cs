using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;

namespace Proton.Sdk.Tests.Provisioning;

/// <summary>The engine-neutral provisioner contract and the public helpers other packages build on.</summary>
public sealed class NeutralContractTests
{
    [Theory]
    [InlineData("CREATE_COMPLETE", StackState.Succeeded)]
    [InlineData("UPDATE_COMPLETE", StackState.Succeeded)]
    [InlineData("IMPORT_COMPLETE", StackState.Succeeded)]
    [InlineData("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", StackState.Succeeded)]
    [InlineData("CREATE_IN_PROGRESS", StackState.InProgress)]
    [InlineData("UPDATE_ROLLBACK_IN_PROGRESS", StackState.InProgress)]
    [InlineData("DELETE_IN_PROGRESS", StackState.InProgress)]
    [InlineData("ROLLBACK_COMPLETE", StackState.RolledBack)]
    [InlineData("UPDATE_ROLLBACK_COMPLETE", StackState.RolledBack)]
    [InlineData("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", StackState.RolledBack)]
    [InlineData("CREATE_FAILED", StackState.Failed)]
    [InlineData("UPDATE_ROLLBACK_FAILED", StackState.Failed)]
    [InlineData("DELETE_FAILED", StackState.Failed)]
    [InlineData("DELETE_COMPLETE", StackState.Deleted)]
    [InlineData("REVIEW_IN_PROGRESS", StackState.NotFound)]
    public void CloudFormationStatus_MapsStackStatusToNeutralState(string status, StackState expected)
    {
        Assert.Equal(expected, CloudFormationStatus.ToStackState(status));
        var description = new StackDescription("s", expected) { EngineStatus = status };
        Assert.Equal(expected == StackState.Succeeded, description.IsStable);
        Assert.Equal(expected == StackState.InProgress, description.IsInProgress);
        Assert.Equal(status, description.DisplayStatus);
    }

    [Theory]
    [InlineData("CREATE_IN_PROGRESS", ResourceAction.Create, ResourceEventStatus.InProgress)]
    [InlineData("CREATE_COMPLETE", ResourceAction.Create, ResourceEventStatus.Succeeded)]
    [InlineData("CREATE_FAILED", ResourceAction.Create, ResourceEventStatus.Failed)]
    [InlineData("UPDATE_COMPLETE", ResourceAction.Update, ResourceEventStatus.Succeeded)]
    [InlineData("DELETE_SKIPPED", ResourceAction.Delete, ResourceEventStatus.Skipped)]
    [InlineData("UPDATE_ROLLBACK_IN_PROGRESS", ResourceAction.Rollback, ResourceEventStatus.InProgress)]
    [InlineData("ROLLBACK_FAILED", ResourceAction.Rollback, ResourceEventStatus.Failed)]
    [InlineData("IMPORT_COMPLETE", ResourceAction.Read, ResourceEventStatus.Succeeded)]
    public void CloudFormationStatus_MapsResourceStatusToActionAndStatus(string status, ResourceAction action, ResourceEventStatus result)
    {
        var e = CloudFormationStatus.ToEvent(DateTimeOffset.UnixEpoch, "Queue", "AWS::SQS::Queue", status, "why", "q-1");

        Assert.Equal((action, result, status, "q-1"), (e.Action, e.Status, e.EngineStatus, e.PhysicalId));
    }

    [Fact]
    public void StackPlan_CountsEachKindOfChange()
    {
        var plan = new StackPlan("s", true,
        [
            new ResourceChange(ResourceChangeAction.Add, "A", "T"),
            new ResourceChange(ResourceChangeAction.Modify, "B", "T") { MayReplace = true },
            new ResourceChange(ResourceChangeAction.Replace, "C", "T"),
            new ResourceChange(ResourceChangeAction.Replace, "D", "T"),
            new ResourceChange(ResourceChangeAction.Remove, "E", "T"),
        ]);

        Assert.Equal((1, 1, 2, 1), (plan.Added, plan.Changed, plan.Replaced, plan.Removed));
        Assert.False(plan.IsEmpty);
        Assert.True(new StackPlan("s", true, []).IsEmpty);
        Assert.False(new StackPlan("s", false, []).IsEmpty);
    }

    [Fact]
    public void SecretRedactor_MasksLongestSecretFirst_AndLeavesOtherTextAlone()
    {
        Assert.Equal("a **** b ****", SecretRedactor.Redact("a hunter2 b hunter2-extra", ["hunter2", "hunter2-extra"]));
        Assert.Equal("nothing", SecretRedactor.Redact("nothing", ["", "x-absent"]));
        Assert.Null(SecretRedactor.Redact(null, ["s"]));
    }

    [Theory]
    [InlineData("environments", true)]
    [InlineData("a.b-c_d@e+f", true)]
    [InlineData(".hidden", false)]
    [InlineData("../x", false)]
    [InlineData("a b", false)]
    [InlineData("", false)]
    [InlineData("é", false)]
    public void StoreKeys_ApplyTheSameRulesEveryStoreApplies(string name, bool valid)
    {
        Assert.Equal(valid, StoreKeys.IsValidName(name));
        if (valid)
        {
            StoreKeys.ValidateName(name, "key");
        }
        else
        {
            Assert.ThrowsAny<ArgumentException>(() => StoreKeys.ValidateName(name, "key"));
        }
    }

    [Fact]
    public void StoreKeys_ContentHashIsLowercaseSha256()
    {
        var hash = StoreKeys.ContentHash("abc"u8);

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hash);
        Assert.True(StoreKeys.IsValidHash(hash));
        Assert.False(StoreKeys.IsValidHash(hash.ToUpperInvariant()));
        Assert.Throws<ArgumentException>(() => StoreKeys.ValidateHash("abc"));
        Assert.False(StoreKeys.IsValidName(new string('a', StoreKeys.MaxLength + 1)));
    }
}
