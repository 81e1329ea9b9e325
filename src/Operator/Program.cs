using Kollect.Operator.Cli;

return KollectCommandLine.Build().Parse(args).Invoke();
