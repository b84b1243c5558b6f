namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// The smallest gitops-manifests layout with the shape the CD workflows rely on: a base whose Deployments use the
/// images voting/api and voting/web, and overlays whose kustomization.yaml maps those names under images:.
/// </summary>
public static class MinimalOverlays
{
    public const string DevKustomization = "gitops-manifests/overlays/dev/kustomization.yaml";
    public const string ProdKustomization = "gitops-manifests/overlays/prod/kustomization.yaml";

    public static IReadOnlyDictionary<string, string> Files { get; } = new Dictionary<string, string>
    {
        ["gitops-manifests/base/kustomization.yaml"] = """
            resources:
              - api.yaml
              - web.yaml
            """,
        ["gitops-manifests/base/api.yaml"] = Deployment("api"),
        ["gitops-manifests/base/web.yaml"] = Deployment("web"),
        [DevKustomization] = Overlay("dev"),
        [ProdKustomization] = Overlay("prod"),
        ["README.md"] = "Not a manifest: must never change.\n",
    };

    private static string Deployment(string name) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
        spec:
          selector:
            matchLabels:
              app: {{name}}
          template:
            metadata:
              labels:
                app: {{name}}
            spec:
              containers:
                - name: {{name}}
                  image: voting/{{name}}
                  ports:
                    - containerPort: 8080

        """;

    private static string Overlay(string environment) => $"""
        # The {environment} overlay: CI owns the images below.
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: voting-{environment}
        resources:
          - ../../base
        images:
          - name: voting/api
            newName: registry.example/voting/api
            newTag: initial
          - name: voting/web
            newName: registry.example/voting/web
            newTag: initial

        """;
}
