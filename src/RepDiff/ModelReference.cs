namespace RepDiff;

/// <summary>
/// A model (or sample set) named in a sentence by what the report calls it and the user's name for it: "B (b.npy)", "the
/// test set (generated)". A name with parentheses of its own goes in brackets, "B [ViT-B/16 (DINOv2)]": inside the letter's
/// parentheses it read "B (ViT-B/16 (DINOv2)) ranks …" (review 167, F12). Brackets rather than commas or dashes because they
/// close: the sentence's own punctuation after the reference (" does.", ", which", "; negative") reads as before, and a
/// name may hold commas or dashes itself. Every sentence that names a model this way phrases it here.
/// </summary>
public static class ModelReference
{
    /// <param name="called">"A", "B", "the test set", "the reference set".</param>
    /// <param name="name">The user's name as the sentence shows it: plain, between isolate marks, or as HTML.</param>
    public static string Of(string called, string name)
        => name.AsSpan().IndexOfAny('(', ')') >= 0 ? $"{called} [{name}]" : $"{called} ({name})";
}
