namespace RepDiff.Report;

/// <summary>
/// What a concept's "strength" measures, per method: each method ranks its concepts by its own quantity, on its
/// own scale (RDX 17.2, SPEC 0.058, KODA 0.00085), so a card's figure means nothing until its method's measure is named.
/// The definitions are those of docs/methods/rdx.md, spec.md and baselines.md (and results-schema.md).
/// </summary>
internal static class StrengthText
{
    /// <summary>The measure in one sentence, or null for a method this report does not know (its strength is then shown unexplained).</summary>
    public static string? Of(string method) => method switch
    {
        "rdx" => "mean affinity exp(−beta·G) over the concept's member pairs, G being RDX's difference of the two models' distances (neighbourhood ranks by default): 1 where the models agree on a pair, up to e^beta where it is much closer in the explained model",
        "spec" or "spec-align" => "|eigenvalue| of the kernel difference (K_A − eta·K_B)/n for this mode: how much more strongly one model clusters it; the spectrum above shows every eigenvalue",
        "finc" => "|eigenvalue| of C_test − eta·C_ref (the two sets' kernel covariances) for this mode: how much more of one set it holds; the spectrum above shows every eigenvalue",
        "koda" => "x_λᵀK x_λ: how strongly the explained model's kernel (/n) clusters this mode while the other model's stays below KODA's cap ε",
        "kmeans" => "compactness: mean squared distance of all samples to the overall mean ÷ that of the members to their centroid (a baseline on one model alone)",
        "pca" => "explained variance of the principal component (a baseline on one model alone)",
        "nmf" => "‖w_c‖·‖h_c‖ / ‖X‖_F: the share of the data's norm the atom carries (a baseline on one model alone)",
        "sae" => "mean squared activation of the autoencoder latent (a baseline on one model alone)",
        _ => null,
    };
}
