using RepDiff.Cli;

TerminalText.ConfigureConsole();
using var signals = ExitSignals.Install();
return Cli.Run(Cli.BuildRoot(), args);
