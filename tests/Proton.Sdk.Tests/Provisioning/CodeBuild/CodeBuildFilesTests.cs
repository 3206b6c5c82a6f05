using Proton.Sdk.Provisioning;
using Proton.Sdk.Provisioning.CodeBuild;

namespace Proton.Sdk.Tests.Provisioning.CodeBuild;

public sealed class CodeBuildFilesTests
{
    [Fact]
    public void ParseOutputs_ReadsTheNotifyForm()
        => Assert.Equal(
            new Dictionary<string, string> { ["VpcId"] = "vpc-1", ["Port"] = "80" },
            CodeBuildFiles.ParseOutputs("""[{"key":"VpcId","valueString":"vpc-1"},{"key":"Port","valueString":"80"}]"""));

    [Fact]
    public void ParseOutputs_ReadsAFlatObject_NonStringsAsCompactJson()
        => Assert.Equal(
            new Dictionary<string, string> { ["Name"] = "n", ["Count"] = "2", ["Ids"] = "[\"a\",\"b\"]" },
            CodeBuildFiles.ParseOutputs("""{"Name":"n","Count":2,"Ids":["a","b"]}"""));

    [Fact]
    public void ParseOutputs_ReadsTheCdkOutputsFileOfAwsSample()
    {
        var path = Path.Combine(Infrastructure.Corpus.Bundles, "aws-samples+aws-proton-saas-tenant-provisioning-and-deployments", "tenant-env-template", "v1", "infrastructure", "proton-outputs.json");

        var outputs = CodeBuildFiles.ParseOutputs(File.ReadAllText(path));

        Assert.Equal("vpc-0d60ccc02b80bd9ef", outputs["VPCId"]);
        Assert.Equal("tenantAEnv", outputs["ECSClusterName"]);
        Assert.Equal(8, outputs.Count);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("42")]
    [InlineData("[{\"value\":\"x\"}]")]
    public void ParseOutputs_RefusesOtherForms(string text)
        => Assert.Equal(CodeBuildErrorCodes.InvalidOutputs, Assert.Throws<ProvisioningException>(() => CodeBuildFiles.ParseOutputs(text)).ErrorCode);

    [Fact]
    public void Script_AnnouncesEachCommand_AndStopsAtTheFirstFailure()
    {
        var script = LocalCodeBuildRunner.Script(["a", "b"]);

        Assert.Equal(2, script.Split("##proton-command ").Length - 1);
        Assert.Contains("if [ \"$__proton_status\" -ne 0 ]; then exit \"$__proton_status\"; fi", script, StringComparison.Ordinal);
    }
}
