namespace Voting.AppHost.Kubernetes.Settings;

/// <summary>
/// An Ingress for <paramref name="Host"/> served by the controller of <paramref name="ClassName"/>, which runs in
/// <paramref name="ControllerNamespace"/> (the NetworkPolicy lets only that namespace in). Non-production
/// environments prefix the host, e.g. <c>dev.</c>.
/// </summary>
public sealed record ExternalIngress(string Host, string ClassName = "nginx", string ControllerNamespace = "ingress-nginx");
