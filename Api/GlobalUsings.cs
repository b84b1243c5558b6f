global using Microsoft.AspNetCore.Http.HttpResults;
global using Scalar.AspNetCore;
global using StackExchange.Redis;
global using Voting.Api.Apis;
global using Voting.Api.Extensions;
global using Voting.Api.Model;
global using Voting.Api.Voting;
global using Voting.ServiceDefaults;
