using System.Reflection;
using StackExchange.Redis;

namespace Voting.Api.Tests;

/// <summary>
/// Stands in for StackExchange.Redis in the instant Redis goes away: every command is dropped unsent and its task
/// cancelled. The real client does that when it has no connection to send a command on, and now and then the
/// cancellation it queues wins the race against the <see cref="RedisConnectionException"/> it also raises. That shows
/// only under load as Redis stops, so it cannot be produced on demand with a real Redis; hence this stand-in.
/// </summary>
public class CommandDroppingRedis : DispatchProxy
{
    public static IConnectionMultiplexer Create() => Create<IConnectionMultiplexer, CommandDroppingRedis>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod switch
    {
        { Name: nameof(IConnectionMultiplexer.GetDatabase) } => Create<IDatabase, CommandDroppingRedis>(),
        { ReturnType: var type } when type == typeof(Task) => Task.FromCanceled(new CancellationToken(canceled: true)),
        { ReturnType: { IsGenericType: true } type } when type.GetGenericTypeDefinition() == typeof(Task<>) =>
            s_fromCanceled.MakeGenericMethod(type.GetGenericArguments()).Invoke(null, [new CancellationToken(canceled: true)]),
        _ => throw new NotSupportedException($"{targetMethod?.Name} is not part of this stand-in."),
    };

    private static readonly MethodInfo s_fromCanceled =
        typeof(Task).GetMethod(nameof(Task.FromCanceled), genericParameterCount: 1, [typeof(CancellationToken)])!;
}
