using System.Text.Json.Nodes;
using Voting.Deployment.Tests.Promotion;

namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// .github/scripts/configure-repository.sh, the bootstrap's repository setup, against a local bare remote. GitHub's API
/// cannot be reached here, so gh is a recording stand-in (a script named gh first on PATH): it answers the ruleset list
/// as the test says and records every call with what was sent. What is checked is the script's own logic: the branches
/// it creates and keeps in step with main, and which rulesets it creates or updates.
/// </summary>
public sealed class ConfigureRepositoryTests : IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("voting-fake-gh-").FullName;

    [Fact]
    public async Task Creates_both_environment_branches_with_no_manifest_and_each_ruleset_then_changes_nothing_but_updates_them()
    {
        RequiredTools.Require("bash", "git", "jq", "awk");
        using var repo = await GitOpsRepository.CreateAsync(GitOpsRepository.Start.MainOnly);

        var first = await ConfigureAsync(repo, existingRulesets: "");

        Assert.True(first.ExitCode == 0, first.ToString());
        foreach (var environment in new[] { "dev", "prod" })
        {
            var head = (await repo.HeadAsync($"environments/{environment}"))!;
            Assert.Empty(await repo.ParentsAsync(head)); // a branch of its own, unrelated to main's history
            Assert.Equal([".github/CODEOWNERS", ".github/workflows/verify-environment.yml", "README.md"],
                (await repo.GitAsync("ls-tree", "-r", "--name-only", head)).Trim().Split('\n'));
            Assert.Contains("Nothing is deployed to " + environment + " yet", (await repo.ShowAsync(head, "README.md"))!, StringComparison.Ordinal);
        }

        var rulesets = Directory.EnumerateFiles(Path.Combine(Repository.Root, ".github", "rulesets"), "*.json").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(rulesets.Length, Calls().Count(c => c == "api --method POST repos/{owner}/{repo}/rulesets --input - --silent"));
        Assert.Equal(rulesets.Select(File.ReadAllText), Sent());

        var heads = await repo.HeadsAsync();
        var again = await ConfigureAsync(repo, existingRulesets: "7 main\n8 environments/dev\n9 environments/prod\n");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(heads, await repo.HeadsAsync());
        Assert.Equal(
            ["api --method PUT repos/{owner}/{repo}/rulesets/8 --input - --silent", "api --method PUT repos/{owner}/{repo}/rulesets/9 --input - --silent",
             "api --method PUT repos/{owner}/{repo}/rulesets/7 --input - --silent"],
            Calls().Where(c => c.Contains("--method PUT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_change_of_mains_CODEOWNERS_goes_to_dev_directly_and_to_prod_by_pull_request()
    {
        RequiredTools.Require("bash", "git", "jq", "awk");
        using var repo = await GitOpsRepository.CreateAsync(GitOpsRepository.Start.InUse);
        var prod = await repo.HeadAsync("environments/prod");
        var dev = (await repo.HeadAsync("environments/dev"))!;
        await repo.CommitToMainAsync(".github/CODEOWNERS", "/manifest.yaml @your-org/operations\n", "New owners");

        var run = await ConfigureAsync(repo, existingRulesets: "");

        Assert.True(run.ExitCode == 0, run.ToString());
        var newDev = (await repo.HeadAsync("environments/dev"))!;
        Assert.Equal([dev], await repo.ParentsAsync(newDev));
        Assert.Equal("/manifest.yaml @your-org/operations\n", await repo.ShowAsync(newDev, ".github/CODEOWNERS"));
        Assert.Equal(await repo.ShowAsync(dev, "manifest.yaml"), await repo.ShowAsync(newDev, "manifest.yaml"));
        Assert.Equal(prod, await repo.HeadAsync("environments/prod")); // prod's ruleset lets nothing in but a pull request
        var proposal = (await repo.HeadAsync("configure/environments/prod"))!;
        Assert.Equal("/manifest.yaml @your-org/operations\n", await repo.ShowAsync(proposal, ".github/CODEOWNERS"));
        Assert.Contains(Calls(), c => c.StartsWith("pr create --head configure/environments/prod --base environments/prod", StringComparison.Ordinal));
        var verify = await repo.VerifyAsync("prod", proposal); // and the environment check lets it through
        Assert.True(verify.Result.ExitCode == 0, verify.ToString());
    }

    /// <summary>One maintainer alone cannot approve their own pull requests: the override asks for no approval, nothing else.</summary>
    [Fact]
    public async Task With_no_approvals_required_pull_requests_and_their_checks_still_are()
    {
        RequiredTools.Require("bash", "git", "jq", "awk");
        using var repo = await GitOpsRepository.CreateAsync(GitOpsRepository.Start.MainOnly);

        var run = await ConfigureAsync(repo, existingRulesets: "", approvals: "0");

        Assert.True(run.ExitCode == 0, run.ToString());
        var committed = Directory.EnumerateFiles(Path.Combine(Repository.Root, ".github", "rulesets"), "*.json").Order(StringComparer.Ordinal)
            .Select(file => JsonNode.Parse(File.ReadAllText(file))!).ToArray();
        var sent = Sent().Select(text => JsonNode.Parse(text)!).ToArray();
        Assert.Equal(committed.Length, sent.Length);
        foreach (var (expected, actual) in committed.Zip(sent))
        {
            foreach (var rule in expected["rules"]!.AsArray())
            {
                if (rule!["type"]!.GetValue<string>() == "pull_request")
                {
                    var parameters = rule["parameters"]!.AsObject();
                    parameters["required_approving_review_count"] = 0;
                    parameters["require_code_owner_review"] = false;
                    parameters["require_last_push_approval"] = false;
                }
            }

            Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}\nsent {actual.ToJsonString()}");
        }

        Assert.Contains(committed, ruleset => ruleset["rules"]!.AsArray().Any(rule => rule!["type"]!.GetValue<string>() == "pull_request"));
    }

    [Fact]
    public async Task An_approval_count_that_is_not_a_number_changes_nothing_and_names_the_variable()
    {
        RequiredTools.Require("bash", "git", "jq", "awk");
        using var repo = await GitOpsRepository.CreateAsync(GitOpsRepository.Start.MainOnly);

        var run = await ConfigureAsync(repo, existingRulesets: "", approvals: "none");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("REQUIRED_APPROVALS must be a number from 0 to 9, got 'none'", run.Error, StringComparison.Ordinal);
        Assert.Null(await repo.HeadAsync("environments/dev"));
        Assert.False(File.Exists(Path.Combine(_bin, "calls")));
    }

    private async Task<ScriptResult> ConfigureAsync(GitOpsRepository repo, string existingRulesets, string? approvals = null)
    {
        await File.WriteAllTextAsync(Path.Combine(_bin, "rulesets"), existingRulesets);
        var gh = Path.Combine(_bin, "gh");
        await File.WriteAllTextAsync(gh, $$"""
            #!/usr/bin/env bash
            # Stand-in for gh: records the call and what it was sent; answers the ruleset list and the pull request list.
            echo "$*" >>"{{_bin}}/calls"
            if [[ $* == *"--input -"* ]]; then cat >>"{{_bin}}/sent"; echo "---" >>"{{_bin}}/sent"; fi
            if [[ $1 == api && $2 == "repos/{owner}/{repo}/rulesets?per_page=100" ]]; then cat "{{_bin}}/rulesets"; fi
            if [[ $1 == pr && $2 == list ]]; then echo 0; fi
            exit 0
            """.Replace("\r\n", "\n", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        Script.MakeExecutable(gh);
        var environment = new Dictionary<string, string> { ["PATH"] = $"{_bin}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}" };
        if (approvals is not null)
        {
            environment["REQUIRED_APPROVALS"] = approvals;
        }

        return await Script.RunAsync(Script.Path("configure-repository.sh"), [], repo.Clone, environment);
    }

    private string[] Calls() => File.ReadAllLines(Path.Combine(_bin, "calls"));

    private IEnumerable<string> Sent() =>
        File.ReadAllText(Path.Combine(_bin, "sent")).Split("---\n", StringSplitOptions.RemoveEmptyEntries).Select(s => s.TrimEnd('\n') + "\n");

    public void Dispose() => Directory.Delete(_bin, recursive: true);
}
