namespace RepDiff.Trust;

/// <summary>
/// The method rerun on the given rows (ascending row numbers of the full pair): the explanation a fresh run on
/// those rows would give, with member indices that are positions in <paramref name="rows"/>.
/// </summary>
public delegate Explanation SubsetRun(int[] rows);
