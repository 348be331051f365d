using System.Runtime.ExceptionServices;

namespace RepDiff;

/// <summary>
/// Independent pieces of work on several cores that fail as a loop over them would: with the exception of the
/// lowest-numbered piece that failed, itself rather than an AggregateException (so an input error still ends as one
/// line and exit code 2), and with no piece after it started once it has failed.
/// </summary>
public static class ParallelRuns
{
    public static void For(int count, int maxDegree, Action<int> body)
    {
        var errors = new Exception?[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxDegree }, (i, loop) =>
        {
            try { body(i); }
            catch (Exception e)
            {
                errors[i] = e;
                loop.Break();  // pieces below i still run, as they would in a loop; none above it starts
            }
        });
        if (errors.FirstOrDefault(e => e is not null) is { } error) ExceptionDispatchInfo.Capture(error).Throw();
    }
}
