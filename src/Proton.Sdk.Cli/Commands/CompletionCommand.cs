using System.CommandLine;

namespace Proton.Sdk.Cli.Commands;

/// <summary><c>proton completion bash|zsh|pwsh</c>: a script that asks <c>proton [suggest:N]</c> for completions.</summary>
internal static class CompletionCommand
{
    public static Command Build()
    {
        var command = new Command("completion", "Print a shell completion script: eval \"$(proton completion bash)\"");
        var shell = new Argument<string>("shell") { Description = "bash, zsh or pwsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "pwsh");
        command.Arguments.Add(shell);
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.Write(parse.GetValue(shell) switch
            {
                "zsh" => """
                    _proton_zsh_complete() {
                      local completions=("${(@f)$(proton "[suggest:$CURSOR]" "$BUFFER" 2>/dev/null)}")
                      reply=("${completions[@]}")
                    }
                    compctl -K _proton_zsh_complete proton

                    """,
                "pwsh" => """
                    Register-ArgumentCompleter -Native -CommandName proton -ScriptBlock {
                      param($wordToComplete, $commandAst, $cursorPosition)
                      proton "[suggest:$cursorPosition]" "$commandAst" | ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }
                    }

                    """,
                _ => """
                    _proton_bash_complete() {
                      local IFS=$'\n'
                      COMPREPLY=( $(proton "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) )
                    }
                    complete -o default -F _proton_bash_complete proton

                    """,
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
