using Proton.Sdk.Schema;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Tests.Versioning;

public sealed class SemanticVersionTests
{
    [Theory]
    [InlineData("1.0", "1.0.0")]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("v2.0.1", "2.0.1")]
    [InlineData("1.0.0-rc.1+build.5", "1.0.0-rc.1+build.5")]
    [InlineData("0.0.0", "0.0.0")]
    public void Parse_Valid(string text, string expected)
    {
        Assert.Equal(expected, SemanticVersion.Parse(text).ToString());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.2.3.4")]
    [InlineData("01.2.3")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3-")]
    [InlineData("a.b.c")]
    [InlineData("")]
    [InlineData("1.-2.3")]
    public void Parse_Invalid(string text)
    {
        Assert.False(SemanticVersion.TryParse(text, out _));
        Assert.Throws<FormatException>(() => SemanticVersion.Parse(text));
    }

    [Fact]
    public void Ordering_FollowsSemVerSpecExample()
    {
        string[] ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"];
        var parsed = ordered.Select(SemanticVersion.Parse).ToList();

        var shuffled = parsed.OrderBy(_ => Random.Shared.Next()).ToList();
        shuffled.Sort();

        Assert.Equal(ordered, shuffled.Select(v => v.ToString()));
        for (var i = 1; i < parsed.Count; i++)
        {
            Assert.True(parsed[i - 1] < parsed[i], $"{parsed[i - 1]} < {parsed[i]}");
        }
    }

    [Fact]
    public void Equality_IgnoresBuildMetadata()
    {
        Assert.Equal(SemanticVersion.Parse("1.0.0+a"), SemanticVersion.Parse("1.0.0+b"));
        Assert.True(SemanticVersion.Parse("1.0") == SemanticVersion.Parse("1.0.0"));
    }

    [Theory]
    [InlineData("1.2.3", VersionBump.Major, "2.0.0")]
    [InlineData("1.2.3", VersionBump.Minor, "1.3.0")]
    [InlineData("1.2.3", VersionBump.Patch, "1.2.4")]
    [InlineData("1.2.3-rc.1", VersionBump.Patch, "1.2.3")]
    public void Next_AppliesTheBump(string from, VersionBump bump, string expected)
    {
        Assert.Equal(expected, SemanticVersion.Parse(from).Next(bump).ToString());
    }

    [Theory]
    [InlineData("1.2.3", "1.2.3", true)]
    [InlineData("1.2.3", "1.2.4", false)]
    [InlineData("1", "1.9.9", true)]
    [InlineData("1", "2.0.0", false)]
    [InlineData("1.2", "1.2.9", true)]
    [InlineData("1.2", "1.3.0", false)]
    [InlineData("1.x", "1.5.0", true)]
    [InlineData("1.2.x", "1.2.7", true)]
    [InlineData("*", "9.9.9", true)]
    [InlineData("^1.2.3", "1.9.0", true)]
    [InlineData("^1.2.3", "1.2.2", false)]
    [InlineData("^1.2.3", "2.0.0", false)]
    [InlineData("^0.2.3", "0.2.9", true)]
    [InlineData("^0.2.3", "0.3.0", false)]
    [InlineData("^0.0.3", "0.0.4", false)]
    [InlineData("~1.2.3", "1.2.9", true)]
    [InlineData("~1.2.3", "1.3.0", false)]
    [InlineData(">=1.2.0 <2.0.0", "1.5.0", true)]
    [InlineData(">=1.2.0 <2.0.0", "2.0.0", false)]
    [InlineData(">= 1.2.0 < 2.0.0", "1.2.0", true)]
    [InlineData(">1.0.0", "1.0.0", false)]
    [InlineData("<=1.0.0", "1.0.0", true)]
    [InlineData("1.x || 3.x", "3.1.0", true)]
    [InlineData("1.x || 3.x", "2.1.0", false)]
    [InlineData("^1.0.0", "1.5.0-rc.1", false)]
    [InlineData(">=1.5.0-rc.0", "1.5.0-rc.1", true)]
    [InlineData(">=1.5.0-rc.0", "1.6.0-rc.1", false)]
    public void Constraint_IsSatisfiedBy(string constraint, string version, bool expected)
    {
        Assert.Equal(expected, VersionConstraint.Parse(constraint).IsSatisfiedBy(SemanticVersion.Parse(version)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1.2.3.4")]
    [InlineData(">=")]
    [InlineData("1.x ||")]
    public void Constraint_Invalid(string text)
    {
        Assert.False(VersionConstraint.TryParse(text, out _));
    }

    [Fact]
    public void Constraint_MaxSatisfying_PicksTheHighestMatch()
    {
        var versions = new[] { "1.0.0", "1.4.0", "1.10.0", "2.0.0", "1.11.0-rc.1" }.Select(SemanticVersion.Parse);

        Assert.Equal("1.10.0", VersionConstraint.Parse("^1.0.0").MaxSatisfying(versions)!.ToString());
        Assert.Null(VersionConstraint.Parse("3").MaxSatisfying(versions));
    }
}
