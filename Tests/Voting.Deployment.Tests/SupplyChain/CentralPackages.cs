using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Voting.Deployment.Tests.SupplyChain;

/// <summary>What the repository says a project ships: its package references and their central versions.</summary>
internal static partial class CentralPackages
{
    /// <summary>Every PackageVersion of Directory.Packages.props, with $(Property) versions resolved.</summary>
    public static IReadOnlyDictionary<string, string> Versions()
    {
        var props = XDocument.Load(Path.Combine(Repository.Root, "Directory.Packages.props"));
        var properties = props.Descendants("PropertyGroup").Elements().ToDictionary(e => e.Name.LocalName, e => e.Value.Trim());
        return props.Descendants("PackageVersion").ToDictionary(
            e => (string)e.Attribute("Include")!,
            e => PropertyReference().Replace((string)e.Attribute("Version")!, m => properties[m.Groups[1].Value]),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The packages a project references itself or through its project references (they all ship).</summary>
    public static IReadOnlySet<string> DirectPackagesOf(string project)
    {
        var packages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Collect(Path.Combine(Repository.Root, project), packages);
        return packages;
    }

    private static void Collect(string projectPath, HashSet<string> packages)
    {
        var document = XDocument.Load(projectPath);
        packages.UnionWith(document.Descendants("PackageReference").Select(e => (string)e.Attribute("Include")!));
        foreach (var reference in document.Descendants("ProjectReference"))
        {
            var relative = ((string)reference.Attribute("Include")!).Replace('\\', Path.DirectorySeparatorChar);
            Collect(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(projectPath)!, relative)), packages);
        }
    }

    [GeneratedRegex(@"\$\((\w+)\)")]
    private static partial Regex PropertyReference();
}
