using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestFramework("RepDiff.Tests.TestRunCleanup", "RepDiff.Tests")]

namespace RepDiff.Tests;

/// <summary>
/// xunit's own framework, which also removes the run's temporary folder when the runner disposes it after the last test:
/// xunit v2 has no hook for the end of a whole run, and the test host is ended by its runner before exit handlers run.
/// </summary>
public sealed class TestRunCleanup : XunitTestFramework
{
    public TestRunCleanup(IMessageSink messageSink) : base(messageSink) =>
        DisposalTracker.Add(new RemoveRunFolderOnDispose());

    private sealed class RemoveRunFolderOnDispose : IDisposable
    {
        public void Dispose() => TestData.RemoveRunFolder();
    }
}
