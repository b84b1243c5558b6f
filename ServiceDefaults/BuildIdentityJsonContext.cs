using System.Text.Json;
using System.Text.Json.Serialization;

namespace Voting.ServiceDefaults;

/// <summary>Source-generated JSON for <see cref="BuildIdentity"/>: the Api is compiled ahead of time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BuildIdentity))]
internal sealed partial class BuildIdentityJsonContext : JsonSerializerContext;
