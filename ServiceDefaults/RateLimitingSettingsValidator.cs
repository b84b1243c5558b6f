using Microsoft.Extensions.Options;

namespace Voting.ServiceDefaults;

/// <summary>Names the setting that cannot work, at start-up.</summary>
internal sealed class RateLimitingSettingsValidator : IValidateOptions<RateLimitingSettings>
{
    public ValidateOptionsResult Validate(string? name, RateLimitingSettings options)
    {
        List<string> failures = [];
        if (options.PermitLimit < 1)
        {
            failures.Add($"{RateLimitingSettings.SectionName}:{nameof(options.PermitLimit)} must be at least 1; it is {options.PermitLimit}.");
        }

        if (options.WindowSeconds is < 1 or > 3600)
        {
            failures.Add($"{RateLimitingSettings.SectionName}:{nameof(options.WindowSeconds)} must be 1 to 3600; it is {options.WindowSeconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
