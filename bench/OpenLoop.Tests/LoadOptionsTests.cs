namespace OpenLoop.Tests;

public sealed class LoadOptionsTests
{
    [Fact]
    public void Every_option_is_read()
    {
        var options = LoadOptions.Parse(["--url", "http://127.0.0.1:8080/api/votes/Cats", "--method", "post", "--rate", "2000",
            "--duration", "10", "--warmup", "0", "--connections", "32", "--timeout", "2", "--spin-us", "50",
            "--header", "Sec-Fetch-Site: same-origin", "--header", "Content-Type: text/plain"]);

        Assert.Equal(new Uri("http://127.0.0.1:8080/api/votes/Cats"), options.Url);
        Assert.Equal(HttpMethod.Post, options.Method);
        Assert.Equal((2000, 10, 0, 32, 2, 50), (options.Rate, options.DurationSeconds, options.WarmupSeconds,
            options.Connections, options.TimeoutSeconds, options.SpinMicroseconds));
        Assert.Equal([new("Sec-Fetch-Site", "same-origin"), new("Content-Type", "text/plain")], options.Headers);
    }

    [Theory]
    [InlineData("--rate", "0")]
    [InlineData("--rate", "fast")]
    [InlineData("--duration", "-1")]
    [InlineData("--connections", "1.5")]
    [InlineData("--connections", "0")]
    [InlineData("--method", "PUT")]
    [InlineData("--url", "/relative")]
    [InlineData("--header", "no colon")]
    public void A_bad_value_is_refused_naming_its_option(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--url", "http://localhost/", option, value]));
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_url_is_required() =>
        Assert.Contains("--url", Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--rate", "10"])).Message,
            StringComparison.Ordinal);

    [Fact]
    public void An_unknown_option_is_refused() =>
        Assert.Contains("--rps", Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--rps", "10"])).Message,
            StringComparison.Ordinal);
}
