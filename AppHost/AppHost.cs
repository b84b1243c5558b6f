using Voting.AppHost.VoteStore;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddVoteStore("redis");

var api = builder.AddProject<Projects.Voting_Api>("api")
    .WithReference(redis)
    .WaitFor(redis)
    .WithHttpHealthCheck("/health");

// Web keeps its data-protection keys (antiforgery) in Redis, so any replica accepts any replica's form.
builder.AddProject<Projects.Voting_Web>("web")
    .WithReference(api)
    .WaitFor(api)
    .WithReference(redis)
    .WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();
