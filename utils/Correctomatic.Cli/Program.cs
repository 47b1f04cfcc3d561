using Correctomatic.Cli.Commands;

return await CorrectomaticCli.Create().Parse(args).InvokeAsync();
