namespace Voting.AppHost.Kubernetes.Kustomize;

/// <summary>One RFC 6902 operation of an overlay patch file.</summary>
public sealed record JsonPatchOperation(string Op, string Path, object Value);
