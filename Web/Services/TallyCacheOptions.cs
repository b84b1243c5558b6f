using Microsoft.Extensions.Options;

namespace Voting.Web.Services;

/// <summary>
/// How long a replica may show the counts it last read before it asks the Api again. Every page view used to cost an
/// Api call (and the Api a Redis read); with a short cache a replica asks about once per period, however busy it is.
/// Other people's votes show up within this period; the visitor's own vote shows up on the very next page view
/// whatever it is (see <see cref="SeenTally"/>). 0 turns the cache off: every page view reads the counts.
/// </summary>
public sealed class TallyCacheOptions
{
    public const string SectionName = "TallyCache";

    /// <summary>The longest period allowed: beyond a few seconds the page would look broken to a crowd voting at once.</summary>
    public const int MaxAgeLimitMilliseconds = 10_000;

    public int MaxAgeMilliseconds { get; set; } = 1000;

    public TimeSpan MaxAge => TimeSpan.FromMilliseconds(MaxAgeMilliseconds);
}

/// <summary>Names the setting that cannot work, at start-up.</summary>
internal sealed class TallyCacheOptionsValidator : IValidateOptions<TallyCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, TallyCacheOptions options) =>
        options.MaxAgeMilliseconds is < 0 or > TallyCacheOptions.MaxAgeLimitMilliseconds
            ? ValidateOptionsResult.Fail(
                $"{TallyCacheOptions.SectionName}:{nameof(options.MaxAgeMilliseconds)} must be 0 (no cache) to " +
                $"{TallyCacheOptions.MaxAgeLimitMilliseconds}; it is {options.MaxAgeMilliseconds}.")
            : ValidateOptionsResult.Success;
}
