using Voting.AppHost.Kubernetes;
using Voting.AppHost.Kubernetes.Settings;
using Voting.AppHost.VoteStore;

var builder = DistributedApplication.CreateBuilder(args);

// `--operation publish --step kubernetes-manifests` renders gitops-manifests/ from this model (docs/gitops.md).
builder.AddKubernetesManifests();

var redis = builder.AddVoteStore("redis")
    .WithKubernetes(k =>
    {
        // Arguments, not a command: the image's entrypoint still runs. Every write goes to the append-only file on
        // the claim, so a restarted pod reloads every vote. maxmemory 100mb under the 256Mi limit: an AOF rewrite
        // forks, and the child's copy-on-write pages count against the same limit, up to the data set again in the
        // worst case (2 x 100 MiB + ~20 MiB for the process and buffers < 256 MiB). noeviction: a vote is never
        // dropped silently; when full, writes fail loudly and every count already made stays.
        k.Args =
        [
            "redis-server", "--requirepass", "$(REDIS_PASSWORD)", "--appendonly", "yes",
            "--maxmemory", "100mb", "--maxmemory-policy", "noeviction",
        ];
        // Ready only when PING answers PONG: while the data set loads it answers LOADING (and redis-cli still exits 0,
        // hence the comparison). It tries the current password (the Key Vault file, refreshed after a rotation), then
        // the one Redis started with: after two rotations without a restart Redis accepts only the current one, and a
        // probe on the start password would take it out of its Service. Neither password is ever in the spec.
        k.SecretFiles["REDIS_PASSWORD_FILE"] = "REDIS_PASSWORD";
        k.ReadinessCommand =
        [
            "sh", "-c",
            "for p in \"$(cat \"$REDIS_PASSWORD_FILE\")\" \"$REDIS_PASSWORD\"; do [ \"$(REDISCLI_AUTH=\"$p\" redis-cli ping)\" = PONG ] && exit 0; done; exit 1",
        ];
        k.Storage = new PersistentStorage(MountPath: "/data", Size: "1Gi");
        k.RunAsUser = 999; // user redis of the official image
        k.Resources = new ComputeResources("100m", "128Mi", "500m", "256Mi");
    });

var api = builder.AddProject<Projects.Voting_Api>("api")
    // Only the connection string: the Api reads nothing else of Redis' (its URI would hold the password once more).
    .WithReferenceEnvironment(ReferenceEnvironmentInjectionFlags.ConnectionString)
    .WithReference(redis)
    .WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithKubernetes(k =>
    {
        // Sized from bench/run.sh (docs/performance.md): the Native AOT Api holds about 43 MB at start and 58 MB peak RSS
        // under saturation (about 22 MB of it anonymous memory), ~0.06 ms CPU a vote (one Redis script a vote).
        k.Resources = new ComputeResources("250m", "96Mi", "1", "128Mi");
        k.ProductionAutoscaling = new Autoscaling(MinReplicas: 2, MaxReplicas: 6);
        // Traces, metrics and logs to the environment's Application Insights (its connection string from Key Vault).
        k.ExportsToAzureMonitor = true;
        // A rotated Redis password needs no restart: the Api follows the Key Vault file (RedisPassword:File).
        k.SecretFiles["RedisPassword__File"] = "REDIS_PASSWORD";
        // Production's counts are not for anyone to wipe: DELETE /api/votes answers 403 there.
        k.Configure("prod", "ALLOW_RESET", "false");
    });

// The Web reaches the store only through the Api: it holds no state and no Redis password, so any replica serves any visitor.
builder.AddProject<Projects.Voting_Web>("web")
    .WithReference(api)
    .WaitFor(api)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithKubernetes(k =>
    {
        // About 125-140 MB peak RSS under saturation (31 MB of it anonymous; the rest is the mapped framework, shared
        // between pods on a node), ~0.06 ms CPU a page (the counts cached for a second): scale it out with replicas (it
        // holds no state).
        k.Resources = new ComputeResources("250m", "192Mi", "1", "256Mi");
        k.ProductionAutoscaling = new Autoscaling(MinReplicas: 2, MaxReplicas: 6);
        k.ExportsToAzureMonitor = true;
        // HTTPS through the Gateway API (AKS application routing, approuting-istio); see ExternalGateway for the defaults.
        k.Gateway = new ExternalGateway(Host: "voting.example.com");
    });

builder.Build().Run();
