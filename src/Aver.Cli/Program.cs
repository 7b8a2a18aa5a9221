using Aver.Cli;

return CommandLine.Run(args, Console.Out, Console.Error, interactive: !Console.IsErrorRedirected);
