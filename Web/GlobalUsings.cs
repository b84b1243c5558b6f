global using Voting.ServiceDefaults;
global using Voting.Web.Extensions;
global using Voting.Web.Infrastructure;
global using Voting.Web.Services;
