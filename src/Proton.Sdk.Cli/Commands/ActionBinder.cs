using System.CommandLine;

namespace Proton.Sdk.Cli.Commands;

/// <summary>Gives a command its action; the binder runs it with the session and maps exceptions to exit codes.</summary>
internal delegate void ActionBinder(Command command, Func<CliSession, Task<int>> action);
