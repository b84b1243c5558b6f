using Microsoft.Extensions.Options;

namespace Voting.Api.RedisPassword;

public static class RedisPasswordExtensions
{
    /// <summary>
    /// Follows <c>RedisPassword:File</c> when it is set (<see cref="RedisPasswordRotation"/>): a rotated Redis password
    /// needs no coordinated restart. Unset, nothing runs, and the connection string's password is the only one.
    /// </summary>
    public static IHostApplicationBuilder AddRedisPasswordRotation(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddOptions<RedisPasswordSettings>()
            .BindConfiguration(RedisPasswordSettings.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RedisPasswordSettings>, RedisPasswordSettingsValidator>();
        builder.Services.AddHostedService<RedisPasswordRotation>();
        return builder;
    }
}
