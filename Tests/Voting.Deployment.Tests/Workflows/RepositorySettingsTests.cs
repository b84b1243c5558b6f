using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// The repository's protection as code (.github/rulesets/*.json, .github/CODEOWNERS, which configure-repository.sh
/// applies) and the pull-mode workflows' shape, read against each other: a ruleset must require checks that the
/// workflows really post under those names, and the checks must be the ones that guard prod.
/// </summary>
public sealed class RepositorySettingsTests
{
    private const int GitHubActions = 15368; // the app behind every workflow token: only a workflow can pass these checks

    [Fact]
    public void Main_merges_only_reviewed_pull_requests_that_pass_every_CI_job_and_the_end_to_end_runs()
    {
        var main = Ruleset("main");
        Assert.Equal(["refs/heads/main"], Strings(main["conditions"]!["ref_name"]!["include"]));
        var review = Rule(main, "pull_request")!;
        Assert.True((int)review["required_approving_review_count"]! >= 1);
        Assert.True((bool)review["require_code_owner_review"]!);
        Assert.True((bool)review["dismiss_stale_reviews_on_push"]!);
        Assert.Equal(JobNames("ci.yml").Concat(JobNames("e2e-kind.yml")).Order(StringComparer.Ordinal), RequiredChecks(main).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Prod_merges_only_a_code_owner_reviewed_pull_request_passing_the_environment_check_and_the_promotion_check()
    {
        var prod = Ruleset("environments-prod");
        Assert.Equal(["refs/heads/environments/prod"], Strings(prod["conditions"]!["ref_name"]!["include"]));
        var review = Rule(prod, "pull_request")!;
        Assert.True((bool)review["require_code_owner_review"]!);
        Assert.True((bool)review["dismiss_stale_reviews_on_push"]!); // a newer build pushed to the proposal needs a new review
        Assert.Equal(["merge"], Strings(review["allowed_merge_methods"])); // prod's history keeps each promotion as proposed
        Assert.True((bool)Rule(prod, "required_status_checks")!["strict_required_status_checks_policy"]!);
        Assert.Equal(["Verify the environment", "promotion/dev-runs-this"], RequiredChecks(prod));
        Assert.Contains("Verify the environment", JobNames("verify-environment.yml"));
        // The promotion check is posted under that context (promotion-status.sh) by every workflow that judges it.
        Assert.Contains("check_context=promotion/$source_env-runs-this", File.ReadAllText(Script.Path("promotion-state.sh")), StringComparison.Ordinal);
        Assert.Contains("-f context=\"$check_context\"", File.ReadAllText(Script.Path("promotion-status.sh")), StringComparison.Ordinal);
        foreach (var workflow in new[] { "promote-prod.yml", "cd-gitops.yml", "verify-environment.yml" })
        {
            Assert.Contains(".github/scripts/promotion-status.sh post ", Workflow(workflow), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("main")]
    [InlineData("environments-dev")]
    [InlineData("environments-prod")]
    public void No_branch_CD_uses_can_be_deleted_or_rewritten(string ruleset)
    {
        var rules = Ruleset(ruleset);
        Assert.NotNull(Rule(rules, "deletion"));
        Assert.NotNull(Rule(rules, "non_fast_forward"));
        Assert.Equal("active", (string)rules["enforcement"]!);
        Assert.Empty(rules["bypass_actors"]!.AsArray());
    }

    [Fact]
    public void Code_owners_review_what_reaches_a_cluster_and_what_decides_it()
    {
        var owners = File.ReadAllLines(Path.Combine(Repository.Root, ".github", "CODEOWNERS"))
            .Where(line => line.Length > 0 && !line.StartsWith('#')).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        Assert.Equal("@your-org/platform", owners["/manifest.yaml"]);
        Assert.Equal("@your-org/platform", owners["/hydrator.metadata"]);
        Assert.Equal("@your-org/platform", owners["/.github/"]);
        Assert.Contains("placeholder", File.ReadAllText(Path.Combine(Repository.Root, ".github", "CODEOWNERS")), StringComparison.Ordinal);
    }

    [Fact]
    public void Pull_requests_into_an_environment_run_only_its_check_from_mains_scripts()
    {
        var ci = Load("ci.yml");
        Assert.Equal(["environments/**"], Sequence(Node(ci, "on", "pull_request", "branches-ignore")));

        var verify = Load("verify-environment.yml");
        var on = (YamlMappingNode)Node(verify, "on")!;
        Assert.Equal(["pull_request_target"], on.Children.Keys.Select(k => ((YamlScalarNode)k).Value!));
        Assert.Equal(["environments/**"], Sequence(Node(verify, "on", "pull_request_target", "branches")));
        // pull_request_target runs with a token: every checkout is main's, never the pull request's code.
        var checkouts = Steps(verify).Where(step => Scalar(step, "uses")?.StartsWith("actions/checkout@", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(checkouts);
        Assert.All(checkouts, step => Assert.Equal("${{ github.event.repository.default_branch }}", Scalar(step, "with", "ref")));
        Assert.All(Steps(verify).Select(step => Scalar(step, "run") ?? ""), run => Assert.DoesNotMatch(@"git (checkout|switch|worktree)|\bsource\b", run));
    }

    [Fact]
    public void The_promotion_checks_that_dev_serves_the_source_commit_before_it_pushes_a_proposal()
    {
        var steps = Steps(Load("promote-prod.yml")).Select(step => Scalar(step, "run") ?? "").ToList();
        var smoke = steps.FindIndex(run => run.Contains(".github/scripts/smoke-test.sh --read-only --expect-revision \"$DRY_SHA\" \"$DEV_APP_BASE_URL\"", StringComparison.Ordinal));
        var push = steps.FindIndex(run => run.Contains("\"$PROPOSAL:refs/heads/promote/prod\"", StringComparison.Ordinal));
        Assert.InRange(smoke, 0, push - 1);
        Assert.Contains("DRY_SHA: ${{ steps.promote.outputs.dry-sha }}", Workflow("promote-prod.yml"), StringComparison.Ordinal);
    }

    [Fact]
    public void CD_never_writes_main_it_pushes_dev_builds_to_environments_dev()
    {
        var cd = Workflow("cd-gitops.yml");
        Assert.Contains(".github/scripts/hydrate-environment.sh dev \"$GITHUB_SHA\"", cd, StringComparison.Ordinal);
        Assert.DoesNotContain("git push", cd, StringComparison.Ordinal);
        Assert.DoesNotContain("commit-paths", cd, StringComparison.Ordinal);
        Assert.False(File.Exists(Script.Path("commit-paths.sh")));
        Assert.False(Directory.Exists(Path.Combine(Repository.Root, "gitops-manifests", "environments")));
    }

    private static JsonNode Ruleset(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, ".github", "rulesets", $"{name}.json")))!;

    /// <summary>A rule of the ruleset: its parameters, or the rule itself when it has none; null when it is absent.</summary>
    private static JsonNode? Rule(JsonNode ruleset, string type) =>
        ruleset["rules"]!.AsArray().SingleOrDefault(rule => (string)rule!["type"]! == type) is { } rule ? rule["parameters"] ?? rule : null;

    private static List<string> RequiredChecks(JsonNode ruleset) =>
        [.. Rule(ruleset, "required_status_checks")!["required_status_checks"]!.AsArray().Select(check =>
        {
            Assert.Equal(GitHubActions, (int)check!["integration_id"]!);
            return (string)check["context"]!;
        })];

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(item => (string)item!)];

    private static string Workflow(string name) => File.ReadAllText(Path.Combine(Repository.Root, ".github", "workflows", name));

    private static YamlMappingNode Load(string name)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Workflow(name)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>The names of a workflow's jobs as GitHub reports their checks: a matrix job once per operator, named by it.</summary>
    private static List<string> JobNames(string workflow) =>
        [.. ((YamlMappingNode)Node(Load(workflow), "jobs")!).Children.SelectMany(job =>
        {
            var name = Scalar((YamlMappingNode)job.Value, "name") ?? ((YamlScalarNode)job.Key).Value!;
            return Node(job.Value, "strategy", "matrix", "operator") is YamlSequenceNode operators
                ? operators.Children.Select(o => name.Replace("${{ matrix.operator }}", ((YamlScalarNode)o).Value, StringComparison.Ordinal))
                : [name];
        }).Order(StringComparer.Ordinal)];

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode workflow) =>
        ((YamlMappingNode)Node(workflow, "jobs")!).Children.Values.OfType<YamlMappingNode>()
            .SelectMany(job => (Node(job, "steps") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? []);

    private static YamlNode? Node(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
        }

        return node;
    }

    private static string? Scalar(YamlNode node, params string[] path) => (Node(node, path) as YamlScalarNode)?.Value;

    private static List<string> Sequence(YamlNode? node) => [.. ((YamlSequenceNode)node!).Children.Select(item => ((YamlScalarNode)item).Value!)];
}
