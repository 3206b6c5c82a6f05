namespace Proton.Sdk.Cli;

/// <summary>Invalid input the command line finds itself (a missing file, a folder where a file is needed): exit code 1.</summary>
internal sealed class CliException(string message) : Exception(message);
