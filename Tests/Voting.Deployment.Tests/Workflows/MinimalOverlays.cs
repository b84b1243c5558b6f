namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// The smallest gitops-manifests layout with the shape CD relies on, as the generator writes it: a base whose
/// Deployments use the images CD builds (voting/api, voting/web, by a placeholder tag) and Redis; overlays that map
/// only Redis under images: (CD renders each environment with its own images), and differ in replicas.
/// </summary>
public static class MinimalOverlays
{
    public const string DevKustomization = "gitops-manifests/overlays/dev/kustomization.yaml";
    public const string ProdKustomization = "gitops-manifests/overlays/prod/kustomization.yaml";
    public const string ApiDeployment = "gitops-manifests/base/api.yaml";

    public static IReadOnlyDictionary<string, string> Files { get; } = new Dictionary<string, string>
    {
        ["gitops-manifests/base/kustomization.yaml"] = """
            resources:
              - api.yaml
              - web.yaml
              - redis.yaml
            """,
        [ApiDeployment] = Deployment("api", "voting/api:0.0.0-unset", cpu: "100m"),
        ["gitops-manifests/base/web.yaml"] = Deployment("web", "voting/web:0.0.0-unset", cpu: "100m"),
        ["gitops-manifests/base/redis.yaml"] = Deployment("redis", "redis:7.0", cpu: "100m"),
        [DevKustomization] = Overlay("dev", replicas: 1),
        [ProdKustomization] = Overlay("prod", replicas: 2),
        ["README.md"] = "Not a manifest: must never change.\n",
    };

    /// <summary>The Api's Deployment with another CPU request: a change to the base, which every environment gets.</summary>
    public static string ApiWithCpu(string cpu) => Deployment("api", "voting/api:0.0.0-unset", cpu);

    /// <summary>An overlay with another replica count: a change to that environment alone.</summary>
    public static string Overlay(string environment, int replicas) => $"""
        # The {environment} overlay: the images CD builds are not mapped here; CD gives them when it renders.
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: voting-{environment}
        resources:
          - ../../base
        images:
          - name: redis
            newName: registry.example/redis
            newTag: "7.0"
        replicas:
          - name: api
            count: {replicas}

        """;

    private static string Deployment(string name, string image, string cpu) => $$"""
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
                  image: {{image}}
                  resources:
                    requests:
                      cpu: {{cpu}}

        """;
}
