using RepDiff.Cli;

using var signals = ExitSignals.Install();
return ProcessSetup.Run(args);
