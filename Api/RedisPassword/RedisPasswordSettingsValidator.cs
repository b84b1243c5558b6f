using Microsoft.Extensions.Options;

namespace Voting.Api.RedisPassword;

/// <summary>Names the setting that cannot work, at start-up: a password file the Api cannot read would only fail later.</summary>
internal sealed class RedisPasswordSettingsValidator : IValidateOptions<RedisPasswordSettings>
{
    public ValidateOptionsResult Validate(string? name, RedisPasswordSettings options)
    {
        List<string> failures = [];
        if (options.CheckIntervalSeconds is < 1 or > 300)
        {
            failures.Add($"{RedisPasswordSettings.SectionName}:{nameof(options.CheckIntervalSeconds)} must be 1 to 300; it is {options.CheckIntervalSeconds}.");
        }

        if (!string.IsNullOrEmpty(options.File) && ProblemWith(options.File) is { } problem)
        {
            failures.Add($"{RedisPasswordSettings.SectionName}:{nameof(options.File)} is '{options.File}', {problem}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? ProblemWith(string file)
    {
        try
        {
            return System.IO.File.ReadAllText(file).Length == 0 ? "which is empty" : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"which cannot be read ({exception.Message})";
        }
    }
}
