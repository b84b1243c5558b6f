using Microsoft.AspNetCore.Http;

namespace Voting.ServiceDefaults;

/// <summary>
/// The methods HTTP defines as safe (RFC 9110, section 9.2.1): GET, HEAD, OPTIONS and TRACE ask to change nothing, so
/// neither the write limit nor a check of where a request comes from applies to them.
/// </summary>
public static class SafeHttpMethods
{
    public static bool Includes(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
}
