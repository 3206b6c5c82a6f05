using System.Text.RegularExpressions;
using Proton.Sdk.Tests.Infrastructure;

namespace Proton.Sdk.Tests.Cli;

/// <summary>README's command-line section shows each command's real help: regenerate it when a command changes.</summary>
public sealed partial class ReadmeHelpTests
{
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (Match m in HelpBlock().Matches(File.ReadAllText(Path.Combine(Corpus.RepoRoot, "README.md"))))
        {
            data.Add(m.Groups[1].Value);
        }

        return data;
    }

    [Fact]
    public void Readme_ShowsTheHelpOfEveryCommand() => Assert.True(HelpBlock().Count(File.ReadAllText(Path.Combine(Corpus.RepoRoot, "README.md"))) >= 30, "README has a help block for every command");

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task ReadmeHelpBlock_IsTheCommandsHelp(string command)
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Corpus.RepoRoot, "README.md"));
        var block = HelpBlock().Matches(readme).Single(m => m.Groups[1].Value == command).Groups[2].Value;

        var (exit, help, _) = await CliRunner.Run([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.Equal(0, exit);
        var expected = string.Join('\n', help[help.IndexOf("Usage:", StringComparison.Ordinal)..].Split('\n').Where(l => !l.Contains("-?, -h, --help", StringComparison.Ordinal))).Trim();
        Assert.Equal(expected, block.Trim());
    }

    [GeneratedRegex(@"#### proton ?([a-z -]*)\n\n```text\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex HelpBlock();
}
