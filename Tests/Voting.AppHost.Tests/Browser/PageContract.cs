namespace Voting.AppHost.Tests.Browser;

/// <summary>
/// The voting page as its users see it, in one place: the original app's `#results` text, the buttons in the order
/// Tab visits them, and their accessible names. A change to the ballot (workshop module 3) changes it here.
/// </summary>
public static class PageContract
{
    /// <summary>The buttons' classes in page order: the options, then the reset.</summary>
    public static IReadOnlyList<string> TabOrder { get; } = ["button1", "button2", "button3"];

    public static IReadOnlyList<string> ButtonNames { get; } = ["Cats", "Dogs", "Reset"];

    /// <summary>What `#results` reads for these counts, e.g. "Cats - 3 | Dogs - 1".</summary>
    public static string Results(int cats, int dogs) => $"Cats - {cats} | Dogs - {dogs}";
}
