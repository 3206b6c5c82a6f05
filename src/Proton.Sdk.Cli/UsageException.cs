namespace Proton.Sdk.Cli;

/// <summary>A usage error found after parsing (options that do not go together): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
