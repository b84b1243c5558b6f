namespace Voting.Testing;

public static class Eventually
{
    /// <summary>Calls <paramref name="attempt"/> until it returns a value or <paramref name="limit"/> passes; null then.</summary>
    public static async Task<T?> WithinAsync<T>(TimeSpan limit, Func<Task<T?>> attempt) where T : class
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            if (await attempt() is { } value)
            {
                return value;
            }

            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                return null;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Calls <paramref name="attempt"/> until it returns true or <paramref name="limit"/> passes; false then.</summary>
    public static async Task<bool> TrueWithinAsync(TimeSpan limit, Func<Task<bool>> attempt) =>
        await WithinAsync(limit, async () => await attempt() ? s_true : null) is not null;

    private static readonly object s_true = new();
}
