namespace RepDiff;

/// <summary>
/// One representation of two sample sets (FINC's TEST and REF): the row counts may differ. Members of a
/// direction are rows of the set it is about (see <see cref="Direction.Rows"/>).
/// </summary>
public sealed class SampleSets(IRowSource test, IRowSource reference) : IDisposable
{
    public IRowSource Test { get; } = test;
    public IRowSource Reference { get; } = reference;
    public string NameTest { get; init; } = "TEST";
    public string NameRef { get; init; } = "REF";

    public void Dispose()
    {
        (Test as IDisposable)?.Dispose();
        (Reference as IDisposable)?.Dispose();
    }
}
