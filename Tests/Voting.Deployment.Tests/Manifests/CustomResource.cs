using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// An object of a kind KubernetesClient has no model for (Argo CD, Flux, Gateway API, Secrets Store CSI driver), read
/// as JSON. Its fields are checked against its project's schema by .ci/checks/validate-manifests.sh.
/// </summary>
public sealed class CustomResource(JsonNode json)
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();
    private static readonly ISerializer Json = new SerializerBuilder().JsonCompatible().Build();

    public JsonNode Root { get; } = json;

    public string Kind => this["kind"]!;

    public string Name => this["metadata", "name"]!;

    /// <summary>The value at <paramref name="path"/> (keys, and indexes in lists): strings as they are, anything else as JSON; null when absent.</summary>
    public string? this[params string[] path] => Node(path) switch
    {
        null => null,
        JsonValue value when value.TryGetValue(out string? text) => text,
        var node => node.ToJsonString(),
    };

    public JsonNode? Node(params string[] path) => path.Aggregate<string, JsonNode?>(Root, (node, key) =>
        node is JsonArray list ? list[int.Parse(key, CultureInfo.InvariantCulture)] : node?[key]);

    /// <summary>The items of the list at <paramref name="path"/>, each as an object of its own; none when absent.</summary>
    public IEnumerable<CustomResource> Items(params string[] path) =>
        (Node(path) as JsonArray ?? []).Select(item => new CustomResource(item!));

    public override string ToString() => $"{Kind}/{Name}";

    public static CustomResource Parse(string yaml) =>
        new(JsonNode.Parse(Json.Serialize(Yaml.Deserialize<object>(yaml)!))!);
}
