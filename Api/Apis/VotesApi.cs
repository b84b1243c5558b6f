using Voting.Api.Infrastructure;

namespace Voting.Api.Apis;

/// <summary>The votes endpoints: read the tally, vote for an option, reset every count.</summary>
public static class VotesApi
{
    public static RouteGroupBuilder MapVotesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/votes").WithTags("Votes");

        // HEAD answers as GET does, without the body: what a careful client or a monitor may send first.
        api.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], GetTally)
            .WithName(nameof(GetTally))
            .WithSummary("Get the title, every option with its count, whether the counts may be reset, and their generation");

        api.MapPost("/{option}", CastVote)
            .WithName(nameof(CastVote))
            .WithSummary("Count one vote for an option and return the new counts")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapDelete("/", ResetVotes)
            .WithName(nameof(ResetVotes))
            .WithSummary("Set every count to zero, unless ALLOW_RESET is false")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        // Every endpoint reads or writes Redis: say so once, for what the exception handler and the limiter return.
        api.ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .AddEndpointFilter<NoRequestBodyFilter>();

        return api;
    }

    public static async Task<Ok<Tally>> GetTally(Ballot ballot, IVoteStore store) =>
        TypedResults.Ok(ToTally(ballot, await store.GetCountsAsync()));

    public static async Task<Results<Ok<Tally>, ProblemHttpResult>> CastVote(
        string option, Ballot ballot, IVoteStore store, VotingMetrics metrics)
    {
        var index = ballot.IndexOf(option);
        if (index < 0)
        {
            // The original voting app INCRs whatever it is sent; here nothing reaches Redis.
            return TypedResults.Problem(
                title: "Unknown option",
                detail: $"That is not on the ballot. Vote for one of: {string.Join(", ", ballot.Options)}.",
                statusCode: StatusCodes.Status404NotFound);
        }

        var counts = await store.CastVoteAsync(index);
        metrics.VoteCounted(ballot.Options[index]);
        return TypedResults.Ok(ToTally(ballot, counts));
    }

    public static async Task<Results<Ok<Tally>, ProblemHttpResult>> ResetVotes(Ballot ballot, IVoteStore store)
    {
        if (!ballot.ResetAllowed)
        {
            return TypedResults.Problem(
                title: "Reset is turned off",
                detail: $"The counts cannot be reset here ({VotingOptions.AllowResetKey} is false).",
                statusCode: StatusCodes.Status403Forbidden);
        }

        return TypedResults.Ok(ToTally(ballot, await store.ResetAsync()));
    }

    private static Tally ToTally(Ballot ballot, VoteCounts counts) =>
        new(ballot.Title, [.. ballot.Options.Select((name, i) => new OptionCount(name, counts.ByOption[i]))], ballot.ResetAllowed,
            counts.Generation);
}
