using System.Globalization;

namespace OpenLoop;

/// <summary>What to send, how often and for how long; parsed from the command line, rejected early when wrong.</summary>
internal sealed record LoadOptions(
    Uri Url,
    HttpMethod Method,
    double Rate,
    double DurationSeconds,
    double WarmupSeconds,
    int Connections,
    double TimeoutSeconds,
    double SpinMicroseconds,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public const string Usage = """
        usage: OpenLoop --url URL [--method GET|POST] [--rate N] [--duration S] [--warmup S] [--connections N]
                        [--timeout S] [--spin-us US] [--header 'Name: value']...
          --rate         requests a second, sent on schedule whatever the answers take (default 1000)
          --duration     seconds measured (default 10), after --warmup seconds sent at the same rate (default 3)
          --connections  most connections to the server; requests queue for one when all are busy (default 32)
          --timeout      seconds before a request counts as timed out (default 5)
          --spin-us      the sender sleeps until this long before a request is due, then yields until it is (default 0)
        prints one JSON line; latencies are from each request's due time to its complete answer, in microseconds.
        """;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the option at fault.</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        Uri? url = null;
        var method = HttpMethod.Get;
        double rate = 1000, duration = 10, warmup = 3, timeout = 5, spin = 0;
        var connections = 32;
        var headers = new List<KeyValuePair<string, string>>();

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--url":
                    var text = Value();
                    url = Uri.TryCreate(text, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
                        ? parsed
                        : throw new ArgumentException($"--url must be an absolute http or https URL, not '{text}'.");
                    break;
                case "--method":
                    method = Value().ToUpperInvariant() switch
                    {
                        "GET" => HttpMethod.Get,
                        "POST" => HttpMethod.Post,
                        var other => throw new ArgumentException($"--method must be GET or POST, not '{other}'."),
                    };
                    break;
                case "--rate": rate = Number(name, Value(), min: 0, exclusive: true); break;
                case "--duration": duration = Number(name, Value(), min: 0, exclusive: true); break;
                case "--warmup": warmup = Number(name, Value(), min: 0, exclusive: false); break;
                case "--timeout": timeout = Number(name, Value(), min: 0, exclusive: true); break;
                case "--spin-us": spin = Number(name, Value(), min: 0, exclusive: false); break;
                case "--connections":
                    var count = Number(name, Value(), min: 1, exclusive: false);
                    connections = count == Math.Floor(count) && count <= int.MaxValue
                        ? (int)count
                        : throw new ArgumentException($"--connections must be a whole number, not '{args[i]}'.");
                    break;
                case "--header":
                    headers.Add(Header(Value()));
                    break;
                default:
                    throw new ArgumentException($"unknown option '{name}'.");
            }
        }

        return new LoadOptions(url ?? throw new ArgumentException("--url is required."), method, rate, duration, warmup,
            connections, timeout, spin, headers);
    }

    private static double Number(string name, string text, double min, bool exclusive)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new ArgumentException($"{name} must be a number, not '{text}'.");
        }

        return exclusive ? value > min ? value : throw new ArgumentException($"{name} must be more than {min}, not {text}.")
            : value >= min ? value : throw new ArgumentException($"{name} must be at least {min}, not {text}.");
    }

    private static KeyValuePair<string, string> Header(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            ? new(text[..colon].Trim(), text[(colon + 1)..].Trim())
            : throw new ArgumentException($"--header must look like 'Name: value', not '{text}'.");
    }
}
