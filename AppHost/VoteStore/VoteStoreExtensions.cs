using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Voting.AppHost.VoteStore;

public static class VoteStoreExtensions
{
    public const string ModeSetting = "VoteStore:Mode";

    /// <summary>
    /// Adds the Redis the votes live in. With a container runtime it is the Redis container; without one the AppHost
    /// still runs the whole app, on an embedded Redis-compatible server (or redis-server from PATH), instead of
    /// waiting forever on "Runtime unhealthy". <c>VoteStore:Mode</c> forces a choice; the choice is logged at start.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddVoteStore(
        this IDistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var (mode, reason) = ChooseMode(builder);
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Voting.AppHost.VoteStore")
                .LogInformation("Vote store '{Name}': {Mode} ({Reason}). Set {Setting} to choose.", name, mode, reason, ModeSetting);
            return Task.CompletedTask;
        });

        IResourceWithConnectionString store = mode switch
        {
            VoteStoreMode.Embedded => builder.AddEmbeddedRedis(name).Resource,
            VoteStoreMode.RedisServer => builder.AddRedisServer(name).Resource,
            _ => builder.AddRedis(name).WithImageTag(RedisImage.Tag).Resource,
        };
        return builder.CreateResourceBuilder(store);
    }

    private static (VoteStoreMode Mode, string Reason) ChooseMode(IDistributedApplicationBuilder builder)
    {
        var setting = builder.Configuration[ModeSetting];
        VoteStoreMode mode = VoteStoreMode.Auto;
        if (!string.IsNullOrWhiteSpace(setting) && (!Enum.TryParse(setting, ignoreCase: true, out mode) || !Enum.IsDefined(mode)))
        {
            throw new InvalidOperationException(
                $"{ModeSetting} is '{setting}'; use one of: {string.Join(", ", Enum.GetNames<VoteStoreMode>())}.");
        }

        // Publishing describes the deployed system, which always runs the Redis container.
        if (builder.ExecutionContext.IsPublishMode)
        {
            return (VoteStoreMode.Container, "publishing");
        }

        if (mode != VoteStoreMode.Auto)
        {
            return (mode, $"{ModeSetting}={mode}");
        }

        var runtime = ContainerRuntime.Name(builder.Configuration);
        return ContainerRuntime.IsAvailable(runtime)
            ? (VoteStoreMode.Container, $"the {runtime} engine answers")
            : (VoteStoreMode.Embedded, $"no {runtime} engine answers");
    }

    private static IResourceBuilder<EmbeddedRedisResource> AddEmbeddedRedis(
        this IDistributedApplicationBuilder builder, string name)
    {
        var resource = new EmbeddedRedisResource(name);
        EmbeddedRedisServer? server = null;

        builder.Eventing.Subscribe<InitializeResourceEvent>(resource, async (@event, cancellationToken) =>
        {
            await @event.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Starting });
            try
            {
                server = await EmbeddedRedisServer.StartAsync();
                resource.Port = server.Port;
            }
            catch (Exception exception)
            {
                // Say so on the dashboard and in the log: the Api and Web waiting for it would otherwise wait forever.
                @event.Logger.LogError(exception, "The embedded Redis-compatible server could not start.");
                await @event.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.FailedToStart });
                return;
            }

            @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(server.Dispose);
            await @event.Notifications.PublishUpdateAsync(resource, s => s with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
                Properties = [.. s.Properties, new("Port", server.Port)],
            });
        });

        return builder.AddResource(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Garnet (embedded)",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .WithRedisHealthCheck(() => server?.ConnectionString);
    }

    private static IResourceBuilder<RedisServerResource> AddRedisServer(
        this IDistributedApplicationBuilder builder, string name)
    {
        if (!LocalMachine.IsOnPath(RedisServerResource.ExecutableName))
        {
            throw new InvalidOperationException(
                $"{ModeSetting} is {VoteStoreMode.RedisServer}, but '{RedisServerResource.ExecutableName}' is not on PATH. " +
                $"Install Redis, or use {VoteStoreMode.Embedded} (needs nothing but the .NET SDK).");
        }

        var resource = new RedisServerResource(name, builder.AppHostDirectory);
        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(resource, async (_, cancellationToken) =>
            connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken));

        // Loopback only, in memory only: a throwaway store for local runs.
        return builder.AddResource(resource)
            .WithEndpoint(name: RedisServerResource.PrimaryEndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--save");
                context.Args.Add("");
                context.Args.Add("--appendonly");
                context.Args.Add("no");
            })
            .WithRedisHealthCheck(() => connectionString);
    }

    private static IResourceBuilder<T> WithRedisHealthCheck<T>(
        this IResourceBuilder<T> builder, Func<string?> connectionString)
        where T : IResourceWithConnectionString
    {
        var key = $"{builder.Resource.Name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddRedis(
            _ => connectionString() ?? throw new InvalidOperationException($"'{builder.Resource.Name}' has not started."),
            name: key);
        return builder.WithHealthCheck(key);
    }
}
