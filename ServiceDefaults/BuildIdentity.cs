using System.Reflection;

namespace Voting.ServiceDefaults;

/// <summary>
/// Which build of which service is answering: the service's assembly name and the source commit it was compiled from,
/// so a deployment can be checked against the commit it was meant to run, from outside the cluster.
/// </summary>
/// <remarks>
/// The SDK appends <c>SourceRevisionId</c> to the assembly's informational version (<c>1.0.0+&lt;sha&gt;</c>): Source
/// Link sets it from git, and the image build sets it from the commit it builds. A build with neither has no commit
/// to report, and says <see cref="UnknownRevision"/>.
/// </remarks>
public sealed record BuildIdentity(string Service, string Revision)
{
    public const string UnknownRevision = "unknown";

    public static BuildIdentity Of(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return new(assembly.GetName().Name ?? UnknownRevision,
            RevisionOf(assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion));
    }

    /// <summary>The source commit in an informational version such as <c>1.0.0+3f2c1d0...</c>.</summary>
    public static string RevisionOf(string? informationalVersion) =>
        informationalVersion?.Split('+', 2) is [_, { Length: > 0 } revision] ? revision : UnknownRevision;
}
