using RepDiff.Metrics;

namespace RepDiff.Tests.Metrics;

public class BsrFiguresTests
{
    private static string Read(BsrFigures f) => f.Equal ? $"{f.Bsr} = chance" : $"{f.Bsr} / {f.Chance}";

    /// <summary>
    /// MNED's 0.0003 beside a chance of 0.0005 read "0.000 / 0.001": apart, but as if the BSR were zero and the gap five
    /// times its size. Each figure now shows two significant digits, so the ratio reads within a few per cent; figures of
    /// 0.01 or more (three decimals) and 0.1 or more (a card's two) read as before.
    /// </summary>
    [Fact]
    public void SmallFiguresShowTwoSignificantDigitsSoTheirRatioReadsRight()
    {
        Assert.Equal("0.00030 / 0.00050", Read(BsrFigures.Of(0.0003, 0.0005)));
        Assert.Equal("0.00034 / 0.00051", Read(BsrFigures.Of(0.000341, 0.000512)));
        Assert.Equal("0.0034 / 0.0015", Read(BsrFigures.Of(0.0034, 0.0015))); // "0.003 / 0.002" at three
        Assert.Equal("0.00000 / 0.00050", Read(BsrFigures.Of(0, 0.0005))); // zero needs no digits; its chance level does
        Assert.Equal("0.00030 = chance", Read(BsrFigures.Of(0.0003, 0.0003)));
        Assert.Equal("0.000000 / 0.000003", Read(BsrFigures.Of(1e-8, 3e-6))); // never beyond six decimals
        // The common case, as before.
        Assert.Equal("0.742 / 0.501", Read(BsrFigures.Of(0.742, 0.501)));
        Assert.Equal("0.012 / 0.500", Read(BsrFigures.Of(0.012, 0.5)));
        Assert.Equal("0.9998 / 0.9995", Read(BsrFigures.Of(0.99981, 0.99952)));
        Assert.Equal("1.000 = chance", Read(BsrFigures.Of(1, 0.9999999)));
        Assert.Equal("0.62 / 0.49", Read(BsrFigures.Of(0.62, 0.49, fewest: 2)));
        Assert.Equal("0.050 / 0.500", Read(BsrFigures.Of(0.05, 0.5, fewest: 2)));
    }

    /// <summary>
    /// k-means on minilm against arctic: MNED's sides of 0 and 1 beside chance levels of 0.0005 and 0.9995 averaged to 0.5
    /// beside 0.5, which read "0.500 = chance" as if each side were at chance; one is below its level, the other above.
    /// </summary>
    [Fact]
    public void AMeanIsEqualToItsChanceLevelOnlyWhereEverySideIsEqualToItsOwn()
    {
        Assert.Equal("0.500 / 0.500", Read(BsrFigures.OfMean(0.5, 0.5, [(0, 0.0005), (1, 0.9995)])));
        Assert.Equal("0.500 / 0.500", Read(BsrFigures.OfMean(0.5, 0.5, [(0.5, 0.5), (null, 0.5)])));
        Assert.Equal("0.500 = chance", Read(BsrFigures.OfMean(0.5, 0.5, [(0.5, 0.5), (0.5, 0.5)])));
        Assert.Equal("0.750 / 0.499", Read(BsrFigures.OfMean(0.75, 0.499, [(0.678, 0.488), (0.822, 0.510)])));
    }
}
