using RepDiff.Cli;

using var signals = ExitSignals.Install();
return Cli.Run(Cli.BuildRoot(), args);
