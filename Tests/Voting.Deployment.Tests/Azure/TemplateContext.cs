using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.Azure;

/// <summary>What the expressions of one (nested) template see: its variables, its parameter values, the copy index.</summary>
internal sealed class TemplateContext(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameters, int? copyIndex)
{
    public int? CopyIndex { get; } = copyIndex;

    public TemplateContext WithCopyIndex(int? index) => new(template, parameters, index);

    public static TemplateContext ForMain(JsonObject template, JsonObject parameterFile) =>
        ForTemplate(template, parameterFile.ToDictionary(p => p.Key, p => p.Value?["value"]?.DeepClone()));

    /// <summary>A template called with these values; parameters not given take their defaults.</summary>
    public static TemplateContext ForTemplate(JsonObject template, IReadOnlyDictionary<string, JsonNode?> given)
    {
        var values = new Dictionary<string, JsonNode?>(given);
        var context = new TemplateContext(template, values, copyIndex: null);
        foreach (var (name, declaration) in template["parameters"]?.AsObject() ?? [])
        {
            if (!values.ContainsKey(name))
            {
                values[name] = declaration?["defaultValue"] is { } fallback ? ArmExpression.Evaluate(fallback.DeepClone(), context) : ArmExpression.Unknown;
            }
        }

        return context;
    }

    public JsonNode? Parameter(string name) =>
        parameters.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No parameter '{name}'.");

    public JsonNode? Variable(string name)
    {
        var declaration = template["variables"]?[name] ?? throw new KeyNotFoundException($"No variable '{name}'.");
        return ArmExpression.EvaluateDeep(declaration.DeepClone(), this);
    }
}
