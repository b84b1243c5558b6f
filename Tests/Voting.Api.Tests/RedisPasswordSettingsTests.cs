using Microsoft.Extensions.Options;

namespace Voting.Api.Tests;

/// <summary>A password file the Api cannot use stops it at start-up, naming the setting, rather than at the first rotation.</summary>
public sealed class RedisPasswordSettingsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("voting-test-password-");

    [Fact]
    public void A_password_file_that_does_not_exist_fails_validation_naming_the_setting()
    {
        var missing = Path.Combine(_directory.FullName, "redis-password");

        var exception = Assert.Throws<OptionsValidationException>(() => ApiSettings.Validate(new() { ["RedisPassword:File"] = missing }));

        Assert.Contains($"RedisPassword:File is '{missing}', which cannot be read", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_password_file_fails_validation_naming_the_setting()
    {
        var empty = Path.Combine(_directory.FullName, "redis-password");
        File.WriteAllText(empty, "");

        var exception = Assert.Throws<OptionsValidationException>(() => ApiSettings.Validate(new() { ["RedisPassword:File"] = empty }));

        Assert.Contains($"RedisPassword:File is '{empty}', which is empty", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("301")]
    public void A_check_interval_out_of_range_fails_validation_naming_the_setting(string seconds)
    {
        var exception = Assert.Throws<OptionsValidationException>(() =>
            ApiSettings.Validate(new() { ["RedisPassword:CheckIntervalSeconds"] = seconds }));

        Assert.Contains($"RedisPassword:CheckIntervalSeconds must be 1 to 300; it is {seconds}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_readable_password_file_is_valid()
    {
        var file = Path.Combine(_directory.FullName, "redis-password");
        File.WriteAllText(file, "a password");

        ApiSettings.Validate(new() { ["RedisPassword:File"] = file, ["RedisPassword:CheckIntervalSeconds"] = "5" });
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
