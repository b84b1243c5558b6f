
namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// The federated credentials, read from the compiled template, trust exactly what the workflows do: a GitHub
/// environment they run in, pull requests only where a workflow signs in on them, and Kubernetes service accounts
/// only in the namespaces the overlays deploy to.
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class FederatedCredentialTests(CompiledTemplateFixture infra)
{
    private const string GitHubIssuer = "https://token.actions.githubusercontent.com";

    [Fact]
    public void Each_GitHub_subject_is_an_environment_the_workflows_use_or_their_pull_requests()
    {
        var repository = infra.Parameters["githubRepository"]!["value"]!.GetValue<string>();
        var subjects = GitHubCredentials().Select(c => c.Evaluate("properties.subject")).ToList();
        Assert.NotEmpty(subjects);

        foreach (var subject in subjects)
        {
            Assert.NotNull(subject);
            var prefix = $"repo:{repository}:";
            Assert.StartsWith(prefix, subject, StringComparison.Ordinal);
            var claim = subject[prefix.Length..];
            if (claim == "pull_request")
            {
                Assert.True(GitHubWorkflows.PullRequestSignsIn, "A pull_request credential, but no workflow signs in on pull requests.");
                continue;
            }

            Assert.StartsWith("environment:", claim, StringComparison.Ordinal);
            var environment = claim["environment:".Length..];
            Assert.True(GitHubWorkflows.Environments.Contains(environment),
                $"Credential for GitHub environment '{environment}', which no workflow uses ({string.Join(", ", GitHubWorkflows.Environments)}).");
        }
    }

    [Fact]
    public void Each_GitHub_environment_the_workflows_use_has_an_identity()
    {
        var repository = infra.Parameters["githubRepository"]!["value"]!.GetValue<string>();
        var trusted = GitHubCredentials().Select(c => c.Evaluate("properties.subject")).ToHashSet(StringComparer.Ordinal);
        foreach (var environment in GitHubWorkflows.Environments)
        {
            Assert.Contains($"repo:{repository}:environment:{environment}", trusted);
        }
    }

    [Fact]
    public void Kubernetes_subjects_are_service_accounts_in_the_overlay_namespaces()
    {
        var overlayNamespaces = Directory.EnumerateFiles(Path.Combine(Repository.Root, "gitops-manifests", "overlays"), "kustomization.yaml", SearchOption.AllDirectories)
            .SelectMany(File.ReadAllLines)
            .Where(line => line.StartsWith("namespace: ", StringComparison.Ordinal))
            .Select(line => line["namespace: ".Length..].Trim())
            .ToHashSet(StringComparer.Ordinal);

        var namespaces = infra.Resources()
            .Where(r => r.Type == "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials")
            .Select(r => r.Evaluate("properties.subject"))
            .Where(subject => subject?.StartsWith("system:serviceaccount:", StringComparison.Ordinal) == true)
            .Select(subject => subject!.Split(':')[2])
            .ToList();

        Assert.Equal(overlayNamespaces.Order(StringComparer.Ordinal), namespaces.Order(StringComparer.Ordinal));
    }

    private IEnumerable<DeployedResource> GitHubCredentials() => infra.Resources()
        .Where(r => r.Type == "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials"
            && r.Evaluate("properties.issuer") == GitHubIssuer);
}
