using System.Collections;
using System.Text.RegularExpressions;

namespace Voting.AppHost.Kubernetes;

/// <summary>
/// The YAML templates beside the classes that fill them (<c>Flux/alert-deployments.yaml</c>, embedded in this
/// assembly): what is fixed is written there as plain YAML, and <c>${Name}</c> marks a value derived from the app model.
/// <list type="bullet">
/// <item>A line starting with <c>#</c> is a note for the reader of the template and is not written.</item>
/// <item><c>key: ${Name}</c> holding a list or map writes it as YAML below the key, and leaves the key out when it is empty.</item>
/// <item><c>${Name}</c> alone on its line writes YAML (text, a list or a map) at its indentation.</item>
/// <item>Anywhere else, <c>${Name}</c> is replaced by the value's text.</item>
/// </list>
/// </summary>
internal static partial class Template
{
    public static ManifestObject Object(string path, Dictionary<string, object?> values) => ManifestObject.Parse(Render(path, values));

    /// <summary>A filled template read into KubernetesClient's model, for C# to add what the app model says.</summary>
    public static T Load<T>(string path, Dictionary<string, object?> values) => KubernetesYaml.Deserialize<T>(Render(path, values), strict: true);

    public static string Render(string path, Dictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var name = $"{typeof(Template).Namespace}.{path.Replace('/', '.')}";
        using var stream = typeof(Template).Assembly.GetManifestResourceStream(name)
            ?? throw new ArgumentException($"There is no template {path} (embedded as {name}).", nameof(path));
        using var reader = new StreamReader(stream);

        object? Value(Match match) => values.TryGetValue(match.Groups["name"].Value, out var value)
            ? value
            : throw new InvalidOperationException($"Template {path} uses {match.Value}, which was given no value.");

        var lines = new List<string>();
        foreach (var line in reader.ReadToEnd().TrimEnd('\n').Split('\n').Where(l => !l.TrimStart().StartsWith('#')))
        {
            var whole = WholeValue().Match(line);
            if (whole.Success && Value(whole) is var value && (whole.Groups["key"].Length == 0 || value is null or (IEnumerable and not string)))
            {
                var (indent, key) = (whole.Groups["indent"].Value, whole.Groups["key"].Value);
                var yaml = value is string text ? text : value is null or ICollection { Count: 0 } ? "" : ManifestSet.Serialize(value);
                if (yaml.Length > 0 && key.Length > 0)
                {
                    // A sequence starts at its key's indentation, a mapping two spaces in, as KubernetesYaml writes them.
                    lines.Add(indent + key);
                    indent += value is IDictionary ? "  " : "";
                }

                lines.AddRange(yaml.Length == 0 ? [] : yaml.TrimEnd('\n').Split('\n').Select(l => l.Length > 0 ? indent + l : l));
                continue;
            }

            lines.Add(Placeholder().Replace(line, match => Value(match) switch
            {
                bool flag => flag ? "true" : "false",
                IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                var text => text as string ?? throw new InvalidOperationException($"Template {path}: {match.Value} is not text."),
            }));
        }

        return string.Join('\n', lines) + "\n";
    }

    [GeneratedRegex(@"^(?<indent> *)(?:(?<key>[^\s#][^:]*:) )?\$\{(?<name>\w+)\}$")]
    private static partial Regex WholeValue();

    [GeneratedRegex(@"\$\{(?<name>\w+)\}")]
    private static partial Regex Placeholder();
}
