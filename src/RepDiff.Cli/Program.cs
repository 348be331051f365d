using RepDiff.Cli;

ExitSignals.Install();
int code = ProcessSetup.Run(args);
// A run the main thread saw stopped ends as the signal handler ends it, not through the exit handlers (ExitSignals.ExitNow).
if (RepDiff.IO.TemporaryPaths.Stopping) ExitSignals.ExitNow(code);
return code;
