using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// The deployment's outputs are exactly the GitHub variables the workflows read: bootstrap.sh sets them all, so a
/// variable a workflow starts reading (or stops reading) must appear in (or leave) main.bicep's outputs too.
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class OutputTests(CompiledTemplateFixture infra)
{
    [Fact]
    public void Repository_and_environment_variables_are_exactly_those_the_workflows_read()
    {
        var definitions = infra.Template["definitions"]!;
        var output = Properties(definitions["githubRepositoryVariables"]).Concat(Properties(definitions["githubEnvironmentVariables"]))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(GitHubWorkflows.Variables.Except(NotFromAzure).Order(StringComparer.Ordinal), output.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Variables that name nothing in Azure, so no deployment output can give them: the GitHub App that opens the
    /// promotion pull requests is created in GitHub (docs/deploy.md, "GitHub setup").
    /// </summary>
    private static readonly string[] NotFromAzure = ["PROMOTION_APP_CLIENT_ID"];

    [Fact]
    public void Variables_set_by_hand_are_ones_the_workflows_read()
    {
        Assert.Subset(GitHubWorkflows.Variables.ToHashSet(StringComparer.Ordinal), NotFromAzure.ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void The_outputs_are_typed_with_those_variable_sets()
    {
        var outputs = infra.Template["outputs"]!;
        Assert.Equal("#/definitions/githubRepositoryVariables", outputs["githubRepositoryVariables"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/definitions/githubEnvironment", outputs["githubEnvironments"]!["items"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/definitions/githubEnvironmentVariables",
            infra.Template["definitions"]!["githubEnvironment"]!["properties"]!["variables"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public void Every_GitHub_environment_the_workflows_use_gets_its_variables()
    {
        var context = TemplateContext.ForMain(infra.Template, infra.Parameters);
        var environments = infra.Template["outputs"]!["githubEnvironments"]!["value"]!.AsArray()
            .Select(e => ArmExpression.EvaluateString(e!["name"]!.DeepClone(), context))
            .ToList();

        Assert.Equal(GitHubWorkflows.Environments.Order(StringComparer.Ordinal), environments.Order(StringComparer.Ordinal));
    }

    private static IEnumerable<string> Properties(JsonNode? definition) =>
        definition!["properties"]!.AsObject().Select(p => p.Key);
}
