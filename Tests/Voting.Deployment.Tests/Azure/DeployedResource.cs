using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// One resource of the compiled deployment, with the context its expressions evaluate in; ScopeKind is where an
/// unscoped resource lands ("subscription" or "resourceGroup"); Module is the symbolic name of the main template's module
/// that holds it (empty for main's own resources).
/// </summary>
internal sealed record DeployedResource(string Name, JsonObject Definition, TemplateContext Context, string ScopeKind, string Module = "")
{
    private const string DeploymentType = "Microsoft.Resources/deployments";

    public string Type => Definition["type"]!.GetValue<string>();

    public string? Evaluate(string propertyPath)
    {
        JsonNode? node = Definition;
        foreach (var part in propertyPath.Split('.'))
        {
            node = node?[part];
        }

        return ArmExpression.EvaluateString(node, Context);
    }

    /// <summary>All resources of a template, copy loops expanded and modules (nested deployments) descended into.</summary>
    public static IEnumerable<DeployedResource> Enumerate(JsonObject template, TemplateContext context, string scopeKind, string module = "")
    {
        var resources = template["resources"] switch
        {
            JsonObject symbolic => symbolic.Select(p => (p.Key, (JsonObject)p.Value!)),
            JsonArray array => array.Select((r, i) => ($"[{i}]", (JsonObject)r!)),
            _ => [],
        };

        foreach (var (name, definition) in resources)
        {
            if (definition["existing"]?.GetValue<bool>() == true)
            {
                continue;
            }

            foreach (var instanceContext in Instances(definition, context))
            {
                var resource = new DeployedResource(name, definition, instanceContext, scopeKind, module);
                yield return resource;
                if (resource.Type == DeploymentType && definition["properties"]?["template"] is JsonObject nested)
                {
                    var given = (definition["properties"]!["parameters"]?.AsObject() ?? [])
                        .ToDictionary(p => p.Key, p => ParameterValue((JsonObject)p.Value!, instanceContext));
                    var nestedScope = definition["resourceGroup"] is not null || definition["scope"] is not null || scopeKind == "resourceGroup"
                        ? "resourceGroup" : "subscription";
                    foreach (var inner in Enumerate(nested, TemplateContext.ForTemplate(nested, given), nestedScope, module.Length == 0 ? name : module))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }

    /// <summary>A module parameter: a plain value, or a for-expression (compiled to a "copy" over "input").</summary>
    private static JsonNode? ParameterValue(JsonObject parameter, TemplateContext context)
    {
        if (parameter["copy"] is not JsonArray loops)
        {
            return ArmExpression.Evaluate(parameter["value"]?.DeepClone(), context);
        }

        var loop = loops.Single()!;
        var count = ArmExpression.Evaluate(loop["count"]!.DeepClone(), context);
        if (ArmExpression.IsUnknown(count))
        {
            return ArmExpression.Unknown;
        }

        var items = new JsonArray();
        for (var i = 0; i < count!.GetValue<int>(); i++)
        {
            items.Add(ArmExpression.EvaluateDeep(loop["input"]!.DeepClone(), context.WithCopyIndex(i)));
        }

        return items;
    }

    private static IEnumerable<TemplateContext> Instances(JsonObject definition, TemplateContext context)
    {
        if (definition["copy"]?["count"] is not { } count)
        {
            return [context];
        }

        var evaluated = ArmExpression.Evaluate(count.DeepClone(), context);
        return ArmExpression.IsUnknown(evaluated)
            ? [context.WithCopyIndex(null)]
            : Enumerable.Range(0, evaluated!.GetValue<int>()).Select(i => context.WithCopyIndex(i));
    }
}
