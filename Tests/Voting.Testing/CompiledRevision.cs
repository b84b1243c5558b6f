using System.Reflection;

namespace Voting.Testing;

/// <summary>
/// The source commit the compiler wrote into an assembly (the part after '+' of its informational version), read here
/// without the services' own code, so the tests compare /version against what was actually compiled.
/// </summary>
public static class CompiledRevision
{
    public static string Of(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 || plus == version.Length - 1 ? "unknown" : version[(plus + 1)..];
    }

    /// <summary>Source Link puts the commit in every build made in a git checkout, which is where the tests run.</summary>
    public static bool CheckoutHasGit => Path.Exists(Path.Combine(Repository.Root, ".git"));
}
