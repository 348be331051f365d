using RepDiff.Methods;
using RepDiff.Options;

namespace RepDiff.Trust;

/// <summary>
/// Runs of a method on a share of the samples (stability's reruns, validation's discovery half): an option that does
/// not fit that share ("450 concepts need at least as many samples, but there are 400") is reported with the share, since
/// the user gave 500; and <see cref="CheckBeforeRun(IPairMethod, MethodOptions, RepresentationPair, TrustOptions)"/>
/// reports it before the full run.
/// </summary>
public static class RerunSize
{
    internal static T Explained<T>(string what, int kept, int total, Func<T> run, bool when = true)
    {
        try
        {
            return run();
        }
        catch (InvalidOptionException e) when (when)
        {
            throw new InvalidOptionException(e.Property, $"{e.Problem} ({what} on {kept:N0} of the {total:N0} samples)");
        }
    }

    /// <summary>The same for a check that returns nothing.</summary>
    private static void Explained(string what, int kept, int total, Action check, bool when = true)
        => Explained(what, kept, total, () => { check(); return 0; }, when);

    /// <summary>
    /// Refuses, before any work, what <paramref name="trust"/> would refuse after the full run from sizes and options alone:
    /// explained samples too few to split in two (--validate), and options the method cannot take on its reruns' share of
    /// them (validation's discovery half, n/2; stability's resamples, ⌊0.8 n⌋). The one check of the method commands and
    /// <see cref="Comparison.Run"/>; a refusal after an hour's run on 20 rows named what this names at once.
    /// </summary>
    public static void CheckBeforeRun(IPairMethod method, MethodOptions options, RepresentationPair pair, TrustOptions trust)
        => CheckBeforeRun(method, options, pair.N, trust, n => method.CheckSampleCount(pair, n, options));

    /// <summary>
    /// The same from the number of samples alone (<see cref="IPairMethod.CheckCount"/>): `compare --model-a/-b` knows n before
    /// either model embeds, and had checked only the full run's n there, so reruns too small were refused after both had.
    /// </summary>
    public static void CheckCountBeforeRun(IPairMethod method, MethodOptions options, int n, TrustOptions trust)
        => CheckBeforeRun(method, options, n, trust, count => method.CheckCount(count, options));

    /// <param name="checkSize">The method's check of its options against a run on that many samples.</param>
    private static void CheckBeforeRun(IPairMethod method, MethodOptions options, int n, TrustOptions trust, Action<int> checkSize)
    {
        // The full run's own sizes first: an option too large for every sample is named as such, not by a rerun's share.
        checkSize(n);
        RefuseGivenConcepts(method, trust);
        if (trust.Validates()) CheckValidation(method, options, n, trust.ValidationOption(), checkSize);
        if (trust.ResamplesFor(method) > 0)
        {
            int explained = method.SamplesExplained(n, options), kept = StabilityResamples.Count(explained);
            Explained("stability reruns the method", kept, explained, () => checkSize(kept));
        }
    }

    /// <summary>
    /// What held-out validation refuses from sizes and options alone: explained samples too few to split in two, and options
    /// the method cannot take on the discovery half. <paramref name="option"/> is the property the refusal names.
    /// </summary>
    private static void CheckValidation(IPairMethod method, MethodOptions options, int n, string option, Action<int> checkSize)
    {
        int explained = method.SamplesExplained(n, options);
        // A subsample too small to split (rdx --max-samples 12) is named as such: the user's file has more rows.
        Explained("the method runs", explained, n, () => HeldOutValidation.CheckSize(explained, option), when: explained < n);
        int half = HeldOutSplit.DiscoverySize(explained);
        Explained("held-out validation runs the method", half, explained, () => checkSize(half));
    }

    /// <summary>
    /// What --trust would refuse of validation on a run made without it (its <paramref name="options"/>, resolved), null when
    /// validation could run: the note under findings nothing tested says it, rather than suggest --trust where --trust is refused.
    /// </summary>
    public static InvalidOptionException? ValidationRefusal(IPairMethod method, MethodOptions options, RepresentationPair pair)
    {
        var refusal = Refusal(() => CheckValidation(method, options, pair.N, nameof(TrustOptions.Trust), n => method.CheckSampleCount(pair, n, options)));
        // Too few samples in the method's subsample (rdx --max-samples 30 of 60 rows) while the input has enough: a larger
        // subsample can be tested, which "nothing here can be tested" had denied.
        return refusal is { Property: nameof(TrustOptions.Trust) } && method.SamplesExplained(pair.N, options) < pair.N
            && pair.N >= HeldOutValidation.MinSamples
            ? new InvalidOptionException(SubsampleTooSmall, refusal.Problem) : refusal;
    }

    /// <summary>The property <see cref="ValidationRefusal(IPairMethod, MethodOptions, RepresentationPair)"/> names when the method's subsample, not the input, is too small to split.</summary>
    public const string SubsampleTooSmall = nameof(SubsampleTooSmall);

    /// <summary>The same for a method on two sample sets (FINC).</summary>
    public static InvalidOptionException? ValidationRefusal(SampleSets sets)
        => Refusal(() => HeldOutValidation.CheckSize(sets, nameof(TrustOptions.Trust)));

    private static InvalidOptionException? Refusal(Action check)
    {
        try
        {
            check();
            return null;
        }
        catch (InvalidOptionException e)
        {
            return e;
        }
    }

    /// <summary>
    /// Stability and held-out validation ask whether a rerun on part of the samples finds a concept again: groups given in a
    /// file (`repdiff groups`) are the same groups on any part, so both would only measure the file; their test is the BSR
    /// beside its chance level.
    /// </summary>
    private static void RefuseGivenConcepts(IMethod method, TrustOptions trust)
    {
        if (!method.ConceptsAreGiven || !trust.Validates() && trust.ResamplesFor(method) == 0) return;
        string flag = trust.Trust ? "--trust" : trust.Validate ? "--validate" : "--stability";
        throw new RepDiffInputException($"{flag}: {method.Name} scores groups given in a file, which are not found again on resamples or half the samples, "
            + $"so stability and held-out validation do not apply to them; their test is each BSR beside its chance level: leave out {flag}");
    }

    /// <summary>The same for a method on two sample sets (FINC): whether the smaller set can be split in two.</summary>
    public static void CheckBeforeRun(ISampleSetMethod method, SampleSets sets, TrustOptions trust)
    {
        if (trust.Validates()) HeldOutValidation.CheckSize(sets, trust.ValidationOption());
    }
}
