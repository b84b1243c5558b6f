using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// .github/scripts/promotion-status.sh, through which the workflows read dev's report and the promotion check and post
/// the check. GitHub's API cannot be reached here, so gh is a stand-in (a script named gh first on PATH): it answers a
/// commit's statuses from a file, newest first as GitHub does, applies --jq with the real jq, and records every call.
/// </summary>
public sealed class PromotionStatusTests : IDisposable
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private readonly string _bin = Directory.CreateTempSubdirectory("voting-fake-gh-").FullName;

    [Fact]
    public async Task The_report_is_devs_latest_status_with_its_commit()
    {
        var run = await RunAsync(["report", Sha],
            Status("promotion/dev-runs-this", "success", "dev runs this"),
            Status("continuous-delivery/voting-dev", "failure", "degraded"),
            Status("continuous-delivery/voting-dev", "success", "healthy"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = JsonNode.Parse(run.Output)!;
        Assert.Equal(("continuous-delivery/voting-dev", "failure", "degraded", Sha),
            ((string?)report["context"], (string?)report["state"], (string?)report["description"], (string?)report["sha"]));
        Assert.Equal($"api\nrepos/owner/repo/commits/{Sha}/statuses?per_page=100", string.Join('\n', Calls().Take(2)));
    }

    [Fact]
    public async Task Without_a_report_dev_is_pending()
    {
        var run = await RunAsync(["report", Sha], Status("promotion/dev-runs-this", "success", "dev runs this"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = JsonNode.Parse(run.Output)!;
        Assert.Equal(("continuous-delivery/voting-dev", "pending", "no report yet", Sha),
            ((string?)report["context"], (string?)report["state"], (string?)report["description"], (string?)report["sha"]));
    }

    [Fact]
    public async Task Shown_is_the_latest_promotion_check_as_step_outputs_and_empty_without_one()
    {
        var shown = await RunAsync(["shown", Sha],
            Status("continuous-delivery/voting-dev", "success", "healthy"),
            Status("promotion/dev-runs-this", "failure", "prod is held: freeze"),
            Status("promotion/dev-runs-this", "success", "dev runs this"));
        var none = await RunAsync(["shown", Sha], Status("continuous-delivery/voting-dev", "success", "healthy"));

        Assert.Equal("state=failure\ndescription=prod is held: freeze\n", shown.Output);
        Assert.Equal("state=\ndescription=\n", none.Output);
    }

    [Fact]
    public async Task Post_sends_the_promotion_check_linked_to_the_run()
    {
        var run = await RunAsync(["post", Sha, "failure", "dev is failure on this build: degraded"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["api", "--method", "POST", $"repos/owner/repo/statuses/{Sha}", "--silent",
            "-f", "context=promotion/dev-runs-this", "-f", "state=failure", "-f", "description=dev is failure on this build: degraded",
            "-f", "target_url=https://github.com/owner/repo/actions/runs/42"], Calls());
    }

    [Theory]
    [InlineData]
    [InlineData("report")]
    [InlineData("post", Sha, "success")]
    [InlineData("delete", Sha)]
    public async Task Any_other_use_changes_nothing_and_says_how_to_call_it(params string[] arguments)
    {
        var run = await RunAsync(arguments);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("usage:", run.Error, StringComparison.Ordinal);
        Assert.Empty(Calls());
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    private static JsonObject Status(string context, string state, string description) =>
        new() { ["context"] = context, ["state"] = state, ["description"] = description };

    private string[] Calls() => File.Exists(Path.Combine(_bin, "calls"))
        ? File.ReadAllText(Path.Combine(_bin, "calls")).TrimEnd('\n').Split('\n')
        : [];

    /// <summary>Runs the script with <paramref name="newestFirst"/> as every commit's statuses.</summary>
    private async Task<ScriptResult> RunAsync(string[] arguments, params JsonObject[] newestFirst)
    {
        RequiredTools.Require("bash", "jq");
        await File.WriteAllTextAsync(Path.Combine(_bin, "statuses.json"), new JsonArray([.. newestFirst]).ToJsonString());
        var gh = Path.Combine(_bin, "gh");
        await File.WriteAllTextAsync(gh, $$"""
            #!/usr/bin/env bash
            # Stand-in for gh: records the call, one argument a line; answers a statuses list through --jq.
            printf '%s\n' "$@" >>"{{_bin}}/calls"
            if [[ $1 == api && $2 == */statuses\?per_page=100 && $3 == --jq ]]; then jq -r "$4" "{{_bin}}/statuses.json"; fi
            """.Replace("\r\n", "\n", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        Script.MakeExecutable(gh);
        return await Script.RunAsync(Script.Path("promotion-status.sh"), arguments, _bin, new Dictionary<string, string>
        {
            ["PATH"] = $"{_bin}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}",
            ["GITHUB_REPOSITORY"] = "owner/repo",
            ["GITHUB_SERVER_URL"] = "https://github.com",
            ["GITHUB_RUN_ID"] = "42",
        });
    }
}
