using System.Security.Cryptography;
using System.Text;
using Voting.AppHost.Kubernetes.Model;

namespace Voting.AppHost.Kubernetes.Mapping;

internal static class ConfigMapMapping
{
    public static string ConfigMapName(this Workload workload) => $"{workload.Name}-config";

    /// <summary>The workload's non-secret settings, under the variable names the AppHost gives them.</summary>
    public static V1ConfigMap ToConfigMap(this Workload workload) => new V1ConfigMap
    {
        Metadata = Labels.Metadata(workload.ConfigMapName(), workload.Name),
        Data = new SortedDictionary<string, string>(workload.Configuration.ToDictionary(), StringComparer.Ordinal),
    }.Initialize();

    /// <summary>A hash of the settings, put on the pod template so that a change of settings rolls the pods.</summary>
    public static string ConfigurationHash(this Workload workload) => ConfigurationHash(workload.Configuration);

    /// <summary>The hash of <paramref name="configuration"/>, in key order, as an overlay's ConfigMap ends up.</summary>
    public static string ConfigurationHash(IEnumerable<KeyValuePair<string, string>> configuration)
    {
        var text = string.Join('\n', configuration.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
