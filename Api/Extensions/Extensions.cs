using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Voting.Api.Infrastructure;
using Voting.Api.RedisPassword;

namespace Voting.Api.Extensions;

public static class Extensions
{
    /// <summary>The Aspire resource and connection-string name of the vote store.</summary>
    public const string RedisConnectionName = "redis";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Aspire's own Redis tracing holds every command for 10 s before it becomes a span: under load that buffer
        // was most of the Api's memory and tail latency (docs/performance.md). The same instrumentation, flushed
        // every second, keeps the spans and not the buffer.
        builder.AddRedisClient(RedisConnectionName, settings => settings.DisableTracing = true, options =>
        {
            ConfigureRedisForFastFailure(options);
            ReadRedisRepliesOnTheThreadPool(options);
        });
        builder.Services.AddOpenTelemetry().WithTracing(tracing =>
            tracing.AddRedisInstrumentation(options => options.FlushInterval = TimeSpan.FromSeconds(1)));
        builder.AddRedisPasswordRotation();

        builder.Services.AddSingleton<IConfigureOptions<VotingOptions>, VotingOptionsSetup>();
        builder.Services.AddSingleton<IValidateOptions<VotingOptions>, VotingOptionsValidator>();
        builder.Services.AddOptions<VotingOptions>().ValidateOnStart();

        builder.Services.AddSingleton<Ballot>();
        builder.Services.AddSingleton<IVoteStore, RedisVoteStore>();
        builder.Services.AddSingleton<VotingMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(VotingMetrics.MeterName));

        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, VotingJsonContext.Default));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<RedisExceptionHandler>();
        builder.Services.AddOpenApi();

        return builder;
    }

    /// <summary>
    /// The client reads replies on the .NET thread pool, where the requests that wait for them run, rather than on its own
    /// pool of dedicated threads. On the one or two cores an Api pod gets, the extra threads and the hand-over between the
    /// pools cost about a quarter of the Api's CPU a vote (measured: docs/performance.md).
    /// </summary>
    private static void ReadRedisRepliesOnTheThreadPool(ConfigurationOptions options) =>
        options.SocketManager = SocketManager.ThreadPool;

    /// <summary>
    /// When Redis is down a request must fail at once (a 503), not queue for the default 5 s, and the connection must
    /// come back by itself within a few seconds of Redis returning. A command Redis does not answer fails after about
    /// a second (timeouts are checked on each heartbeat, hence a 250 ms one); shorter timeouts turned bursts of votes on
    /// a host with little CPU to spare into spurious 503s.
    /// </summary>
    private static void ConfigureRedisForFastFailure(ConfigurationOptions options)
    {
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 1000;
        options.AsyncTimeout = 1000;
        options.SyncTimeout = 1000;
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(250);
        options.ReconnectRetryPolicy = new LinearRetry(500);
    }
}
