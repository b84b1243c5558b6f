using Voting.AppHost.Kubernetes;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>The YAML templates of gitops-manifests/: a value left out fails naming it; an empty list or map leaves its key out.</summary>
public sealed class TemplateTests
{
    private static Dictionary<string, object?> Gateway(object? annotations) => new()
    {
        ["GatewayNamespace"] = "gateways",
        ["GatewayName"] = "shop",
        ["GatewayClassName"] = "approuting-istio",
        ["Annotations"] = annotations,
        ["HttpsListeners"] = "",
    };

    [Fact]
    public void A_value_the_template_uses_but_is_not_given_fails_naming_the_template_and_the_placeholder()
    {
        var values = Gateway(null);
        values.Remove("GatewayClassName");

        var error = Assert.Throws<InvalidOperationException>(() => Template.Render("GatewayApi/gateway.yaml", values));

        Assert.Contains("GatewayApi/gateway.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("${GatewayClassName}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_or_map_is_written_below_its_key_and_an_empty_one_leaves_the_key_out()
    {
        var annotated = Template.Render("GatewayApi/gateway.yaml", Gateway(new Dictionary<string, string> { ["example.com/owner"] = "shop" }));
        var bare = Template.Render("GatewayApi/gateway.yaml", Gateway(new Dictionary<string, string>()));

        Assert.Contains("metadata:\n  annotations:\n    example.com/owner: shop\n  name: shop\n", annotated, StringComparison.Ordinal);
        Assert.Contains("metadata:\n  name: shop\n", bare, StringComparison.Ordinal);
        // The template's notes to its reader are not written.
        Assert.DoesNotContain("#", annotated, StringComparison.Ordinal);
    }
}
