using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// Evaluates the part of the ARM template expression language the compiled infra uses to name roles, scopes and
/// federated subjects: string literals, parameters(), variables(), copyIndex(), format(), concat(), resourceId()
/// subscriptionResourceId(), guid() (as its seeds) and createObject(), with property and index access. Anything known only during a deployment
/// (reference(), deployment(), tenant()...) is <see cref="Unknown"/>, which the tests treat as "decided at run time".
/// </summary>
internal sealed class ArmExpression
{
    /// <summary>A value only a real deployment knows.</summary>
    public static readonly JsonValue Unknown = JsonValue.Create(UnknownText)!;

    private const string UnknownText = "<runtime>";

    /// <summary>Whether a value (or a copy of it) is <see cref="Unknown"/>.</summary>
    public static bool IsUnknown(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text == UnknownText;

    private readonly string _text;
    private readonly TemplateContext _context;
    private int _position;

    private ArmExpression(string text, TemplateContext context) => (_text, _context) = (text, context);

    /// <summary>A template value: an expression string "[...]" is evaluated, anything else is returned as is.</summary>
    public static JsonNode? Evaluate(JsonNode? value, TemplateContext context)
    {
        if (value is JsonValue jsonValue && jsonValue.TryGetValue<string>(out var text)
            && text.StartsWith('[') && !text.StartsWith("[[", StringComparison.Ordinal) && text.EndsWith(']'))
        {
            var expression = new ArmExpression(text[1..^1], context);
            var result = expression.ParseExpression();
            expression.SkipSpaces();
            if (expression._position != expression._text.Length)
            {
                throw new FormatException($"Unparsed text in [{text}] at {expression._position}.");
            }

            return result;
        }

        return value;
    }

    /// <summary>Evaluates every expression inside an object or array literal.</summary>
    public static JsonNode? EvaluateDeep(JsonNode? node, TemplateContext context) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, EvaluateDeep(p.Value?.DeepClone(), context)))),
        JsonArray array => new JsonArray([.. array.Select(item => EvaluateDeep(item?.DeepClone(), context))]),
        _ => Evaluate(node, context)?.DeepClone(),
    };

    public static string? EvaluateString(JsonNode? value, TemplateContext context) =>
        Evaluate(value, context) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private JsonNode? ParseExpression()
    {
        var value = ParsePrimary();
        while (true)
        {
            SkipSpaces();
            if (TryTake('.'))
            {
                var name = ParseIdentifier();
                value = IsUnknown(value) ? Unknown : value?[name];
            }
            else if (TryTake('['))
            {
                var index = ParseExpression();
                Expect(']');
                value = IsUnknown(value) || IsUnknown(index) ? Unknown
                    : value is JsonArray array ? array[index!.GetValue<int>()]
                    : value?[index!.GetValue<string>()];
            }
            else
            {
                return value;
            }
        }
    }

    private JsonNode? ParsePrimary()
    {
        SkipSpaces();
        if (TryTake('\''))
        {
            var literal = new StringBuilder();
            while (true)
            {
                var c = _text[_position++];
                if (c == '\'')
                {
                    if (_position < _text.Length && _text[_position] == '\'')
                    {
                        literal.Append('\'');
                        _position++;
                        continue;
                    }

                    return JsonValue.Create(literal.ToString());
                }

                literal.Append(c);
            }
        }

        if (char.IsDigit(_text[_position]))
        {
            var start = _position;
            while (_position < _text.Length && char.IsDigit(_text[_position]))
            {
                _position++;
            }

            return JsonValue.Create(int.Parse(_text[start.._position], CultureInfo.InvariantCulture));
        }

        var function = ParseIdentifier();
        Expect('(');
        var arguments = new List<JsonNode?>();
        SkipSpaces();
        while (!TryTake(')'))
        {
            arguments.Add(ParseExpression());
            SkipSpaces();
            TryTake(',');
        }

        return Call(function, arguments);
    }

    private JsonNode? Call(string function, List<JsonNode?> arguments)
    {
        // A resource ID keeps its type when a name is known only at deployment: the type is what scopes are checked by.
        if (function is "resourceId" or "subscriptionResourceId" && !IsUnknown(arguments[0]))
        {
            return JsonValue.Create($"{function}:{arguments[0]!.GetValue<string>()}/{string.Join('/', arguments.Skip(1).Select(Scalar))}");
        }

        // A generated name stays recognisable by its seeds (a role definition's GUID names the role it is), even when a
        // seed such as subscription().id is known only at deployment.
        if (function == "guid")
        {
            return JsonValue.Create($"guid({string.Join(',', arguments.Select(Scalar))})");
        }

        // An object literal keeps its known members when others are known only at deployment.
        if (function == "createObject")
        {
            return new JsonObject(Enumerable.Range(0, arguments.Count / 2)
                .Select(i => KeyValuePair.Create(arguments[2 * i]!.GetValue<string>(), arguments[(2 * i) + 1]?.DeepClone())));
        }

        if (arguments.Any(IsUnknown))
        {
            return Unknown;
        }

        string Text(int i) => arguments[i]!.GetValue<string>();
        return function switch
        {
            "parameters" => _context.Parameter(Text(0)),
            "variables" => _context.Variable(Text(0)),
            "copyIndex" => _context.CopyIndex is { } index ? JsonValue.Create(index) : Unknown,
            "format" => JsonValue.Create(string.Format(CultureInfo.InvariantCulture, Text(0),
                arguments.Skip(1).Select(a => (object?)Scalar(a)).ToArray())),
            "concat" => JsonValue.Create(string.Concat(arguments.Select(Scalar))),
            "string" => JsonValue.Create(Scalar(arguments[0])),
            "length" => JsonValue.Create(arguments[0] is JsonArray array ? array.Count : Text(0).Length),
            _ => Unknown,
        };
    }

    private static string? Scalar(JsonNode? node) => node is JsonValue value ? value.ToString() : node?.ToJsonString();

    private string ParseIdentifier()
    {
        SkipSpaces();
        var start = _position;
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] is '_' or '$'))
        {
            _position++;
        }

        if (start == _position)
        {
            throw new FormatException($"Expected a name at {_position} in [{_text}].");
        }

        return _text[start.._position];
    }

    private bool TryTake(char c)
    {
        SkipSpaces();
        if (_position < _text.Length && _text[_position] == c)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void Expect(char c)
    {
        if (!TryTake(c))
        {
            throw new FormatException($"Expected '{c}' at {_position} in [{_text}].");
        }
    }

    private void SkipSpaces()
    {
        while (_position < _text.Length && _text[_position] == ' ')
        {
            _position++;
        }
    }
}
