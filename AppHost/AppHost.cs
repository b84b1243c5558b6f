using Voting.AppHost.Kubernetes;
using Voting.AppHost.Kubernetes.Settings;
using Voting.AppHost.VoteStore;

var builder = DistributedApplication.CreateBuilder(args);

// `--operation publish --step kubernetes-manifests` renders gitops-manifests/ from this model (docs/gitops.md).
builder.AddKubernetesManifests();

var redis = builder.AddVoteStore("redis")
    .WithKubernetes(k =>
    {
        // Every write goes to the append-only file on the claim, so a restarted pod reloads every vote.
        k.Command = ["redis-server", "--requirepass", "$(REDIS_PASSWORD)", "--appendonly", "yes"];
        k.Storage = new PersistentStorage(MountPath: "/data", Size: "1Gi");
        k.RunAsUser = 999; // user redis of the official image
        k.Resources = new ComputeResources("100m", "128Mi", "500m", "256Mi");
    });

var api = builder.AddProject<Projects.Voting_Api>("api")
    .WithReference(redis)
    .WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithKubernetes(k =>
    {
        // Sized from bench/run.sh (docs/performance.md): about 140 MB peak RSS under saturation, ~0.07 ms CPU a vote.
        k.Resources = new ComputeResources("250m", "128Mi", "1", "256Mi");
        k.ProductionAutoscaling = new Autoscaling(MinReplicas: 2, MaxReplicas: 6);
    });

// Web keeps its data-protection keys (antiforgery) in Redis, so any replica accepts any replica's form.
builder.AddProject<Projects.Voting_Web>("web")
    .WithReference(api)
    .WaitFor(api)
    .WithReference(redis)
    .WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithKubernetes(k =>
    {
        // About 170 MB peak RSS under saturation, ~0.65 ms CPU a page: scale it out with replicas (it holds no state).
        k.Resources = new ComputeResources("250m", "192Mi", "1", "256Mi");
        k.ProductionAutoscaling = new Autoscaling(MinReplicas: 2, MaxReplicas: 6);
        k.Ingress = new ExternalIngress(Host: "voting.example.com");
    });

builder.Build().Run();
