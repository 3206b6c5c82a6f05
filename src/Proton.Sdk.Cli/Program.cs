using Proton.Sdk.Cli;

return await ProtonCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
