using System.Reflection;
using StackExchange.Redis;

namespace Voting.Api.Tests;

/// <summary>
/// Stands in for StackExchange.Redis in the instant Redis goes away: every command fails as one of the real client's
/// races surfaces it then, instead of as a <see cref="RedisConnectionException"/>. The task is cancelled (a command
/// dropped unsent) or faulted with the raw error of the closed pipe or socket. These races show only now and then,
/// under load as Redis stops, so a real Redis cannot produce them on demand; hence this stand-in.
/// </summary>
public class ConnectionLossRedis : DispatchProxy
{
    private static readonly MethodInfo s_fromCanceled =
        typeof(Task).GetMethod(nameof(Task.FromCanceled), genericParameterCount: 1, [typeof(CancellationToken)])!;

    private static readonly MethodInfo s_fromException =
        typeof(Task).GetMethod(nameof(Task.FromException), genericParameterCount: 1, [typeof(Exception)])!;

    /// <summary>What every command ends with: null for a cancelled task.</summary>
    private Exception? _failure;

    public static IConnectionMultiplexer Create(Exception? failure)
    {
        var multiplexer = Create<IConnectionMultiplexer, ConnectionLossRedis>();
        ((ConnectionLossRedis)(object)multiplexer)._failure = failure;
        return multiplexer;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod?.Name == nameof(IConnectionMultiplexer.GetDatabase))
        {
            var database = Create<IDatabase, ConnectionLossRedis>();
            ((ConnectionLossRedis)(object)database)._failure = _failure;
            return database;
        }

        if (targetMethod?.ReturnType is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return _failure is null
                ? s_fromCanceled.MakeGenericMethod(type.GetGenericArguments()).Invoke(null, [new CancellationToken(canceled: true)])
                : s_fromException.MakeGenericMethod(type.GetGenericArguments()).Invoke(null, [_failure]);
        }

        throw new NotSupportedException($"{targetMethod?.Name} is not part of this stand-in.");
    }
}
