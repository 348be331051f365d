namespace RepDiff.Report;

/// <summary>The report page's stylesheet and script, embedded resource files (Assets/colours.css, report.css, cards.css, dark.css, print.css, report.js, maps.js, cards.js).</summary>
internal static class Assets
{
    /// <summary>The colour variables of a light and a dark window, which the index page (<see cref="IndexPage"/>) shares with the report.</summary>
    public static string Colours { get; } = Read("colours.css");

    public static string Css { get; } = Colours + Read("report.css") + Palette.Css() + Read("cards.css") + Read("dark.css") + Read("print.css");
    public static string Script { get; } = Read("report.js");

    /// <summary>The linked maps (canvas drawing, hover, selection, colouring); talks to the cards only through DOM events.</summary>
    public static string MapsScript { get; } = Read("maps.js");
    /// <summary>The member lists, consensus rows and downloads of the cards; talks to the maps only through DOM events.</summary>
    public static string CardsScript { get; } = Read("cards.js");

    private static string Read(string name)
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream($"RepDiff.Report.Assets.{name}")
            ?? throw new InvalidOperationException($"the report asset {name} is not embedded");
        return new StreamReader(stream).ReadToEnd();
    }
}
