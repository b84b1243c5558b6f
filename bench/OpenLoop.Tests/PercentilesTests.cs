namespace OpenLoop.Tests;

public sealed class PercentilesTests
{
    private static readonly long[] OneToHundred = [.. Enumerable.Range(1, 100).Select(i => (long)i)];

    [Theory]
    [InlineData(50, 50)]
    [InlineData(90, 90)]
    [InlineData(99, 99)]
    [InlineData(99.5, 100)]
    [InlineData(100, 100)]
    [InlineData(0, 1)]
    public void Nearest_rank_is_a_measured_value(double percent, long expected) =>
        Assert.Equal(expected, Percentiles.Of(OneToHundred, percent));

    [Fact]
    public void The_99_9th_of_a_thousand_values_is_the_999th() =>
        Assert.Equal(999, Percentiles.Of([.. Enumerable.Range(1, 1000).Select(i => (long)i)], 99.9));

    [Fact]
    public void One_slow_answer_in_a_hundred_is_the_100th_percentile_not_the_99th()
    {
        long[] latencies = [.. Enumerable.Repeat(200L, 99), 50_000];
        Assert.Equal(200, Percentiles.Of(latencies, 99));
        Assert.Equal(50_000, Percentiles.Of(latencies, 99.9));
    }

    [Fact]
    public void No_values_give_zero() => Assert.Equal(0, Percentiles.Of([], 99));

    [Theory]
    [InlineData(-1)]
    [InlineData(100.1)]
    public void A_percent_outside_0_to_100_is_refused(double percent) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of(OneToHundred, percent));
}
