using Microsoft.Extensions.Options;

namespace Voting.Api.Voting;

/// <summary>Rejects a ballot that cannot work, at start-up, naming the setting to fix.</summary>
internal sealed class VotingOptionsValidator : IValidateOptions<VotingOptions>
{
    /// <summary>Options become Redis keys and URL segments: keep them short and printable.</summary>
    public const int MaxOptionLength = 64;

    public ValidateOptionsResult Validate(string? name, VotingOptions options)
    {
        List<string> failures = [];

        if (string.IsNullOrWhiteSpace(options.Title))
        {
            failures.Add($"{VotingOptions.TitleKey} must not be blank.");
        }

        ValidateOption(VotingOptions.Vote1ValueKey, options.Vote1Value, failures);
        ValidateOption(VotingOptions.Vote2ValueKey, options.Vote2Value, failures);

        if (string.Equals(options.Vote1Value.Trim(), options.Vote2Value.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            failures.Add(
                $"{VotingOptions.Vote1ValueKey} and {VotingOptions.Vote2ValueKey} must differ; both are '{options.Vote1Value}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateOption(string key, string value, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{key} must not be blank.");
        }
        else if (value.Length > MaxOptionLength)
        {
            failures.Add($"{key} must be at most {MaxOptionLength} characters; it has {value.Length}.");
        }
        else if (value.Any(char.IsControl) || value.Trim().Length != value.Length)
        {
            failures.Add($"{key} must not contain control characters or start or end with spaces.");
        }
    }
}
