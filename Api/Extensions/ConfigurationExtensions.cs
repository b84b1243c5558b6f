namespace Voting.Api.Extensions;

public static class ConfigurationExtensions
{
    /// <summary>
    /// The value of <paramref name="key"/> from the last configuration source where it is non-empty, or null.
    /// Unlike <c>configuration[key]</c>, an empty environment variable does not hide a value from appsettings.json.
    /// </summary>
    public static string? GetLastNonEmpty(this IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        if (configuration is IConfigurationRoot root)
        {
            foreach (var provider in root.Providers.Reverse())
            {
                if (provider.TryGet(key, out var value) && !string.IsNullOrEmpty(value))
                {
                    return value;
                }
            }

            return null;
        }

        var single = configuration[key];
        return string.IsNullOrEmpty(single) ? null : single;
    }
}
