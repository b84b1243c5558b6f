using Microsoft.Extensions.Options;

namespace Voting.Api.Voting;

/// <summary>
/// Reads <see cref="VotingOptions"/> with the original app's rule: a later source (environment variables)
/// overrides an earlier one (appsettings.json), but an empty value is ignored rather than blanking the setting.
/// </summary>
internal sealed class VotingOptionsSetup(IConfiguration configuration) : IConfigureOptions<VotingOptions>
{
    public void Configure(VotingOptions options)
    {
        options.Title = configuration.GetLastNonEmpty(VotingOptions.TitleKey) ?? options.Title;
        options.Vote1Value = configuration.GetLastNonEmpty(VotingOptions.Vote1ValueKey) ?? options.Vote1Value;
        options.Vote2Value = configuration.GetLastNonEmpty(VotingOptions.Vote2ValueKey) ?? options.Vote2Value;

        options.ShowHost = ReadBoolean(VotingOptions.ShowHostKey) ?? options.ShowHost;
        options.AllowReset = ReadBoolean(VotingOptions.AllowResetKey) ?? options.AllowReset;
    }

    private bool? ReadBoolean(string key) => configuration.GetLastNonEmpty(key) switch
    {
        null => null,
        var text when bool.TryParse(text, out var value) => value,
        var text => throw new OptionsValidationException(Options.DefaultName, typeof(VotingOptions),
            [$"{key} must be 'true' or 'false', not '{text}'."]),
    };
}
