using System.Globalization;

namespace Twine.Net.Endpoints;

/// <summary>
/// Binds description arguments to named parameters the way a Python call binds <c>*args, **kwargs</c> to a function
/// signature, which is what Twisted's endpoint parsers rely on: positionals fill parameters in order, a keyword may
/// name any parameter, and unknown, duplicate or missing arguments are errors (Python's <c>TypeError</c>).
/// </summary>
internal sealed class EndpointSignature
{
    private readonly string _name;
    private readonly (string Name, string? Default, bool Required)[] _parameters;

    /// <summary>
    /// A signature named <paramref name="name"/> (for messages); each parameter is "name" (required) or
    /// "name=default" (the default may be empty); "name?" is optional with no default (Python's <c>None</c>).
    /// </summary>
    public EndpointSignature(string name, params string[] parameters)
    {
        _name = name;
        _parameters = parameters.Select(p =>
        {
            int eq = p.IndexOf('=');
            if (eq >= 0) return (p[..eq], (string?)p[(eq + 1)..], false);
            return p.EndsWith('?') ? (p[..^1], (string?)null, false) : (p, (string?)null, true);
        }).ToArray();
    }

    /// <summary>The value of each parameter (null where an optional one without default was not given).</summary>
    /// <exception cref="ArgumentException">Too many positionals, an unknown or repeated keyword, or a missing required argument.</exception>
    public Dictionary<string, string?> Bind(IReadOnlyList<string> positional, IReadOnlyDictionary<string, string> keywords)
    {
        if (positional.Count > _parameters.Length)
            throw new ArgumentException($"The '{_name}' endpoint takes at most {_parameters.Length} positional arguments; {positional.Count} were given.");
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i < positional.Count; i++) values[_parameters[i].Name] = positional[i];
        foreach (var (key, value) in keywords)
        {
            if (!_parameters.Any(p => p.Name == key))
                throw new ArgumentException($"The '{_name}' endpoint has no parameter '{key}' (it takes: {string.Join(", ", _parameters.Select(p => p.Name))}).");
            if (values.ContainsKey(key))
                throw new ArgumentException($"The '{_name}' endpoint got more than one value for '{key}'.");
            values[key] = value;
        }
        foreach (var (name, @default, required) in _parameters)
        {
            if (values.ContainsKey(name)) continue;
            if (required) throw new ArgumentException($"The '{_name}' endpoint needs a value for '{name}'.");
            values[name] = @default;
        }
        return values;
    }

    /// <summary>Python's <c>int(text)</c>: optional sign, surrounding white space, digits with single underscores between them.</summary>
    public static int ToInt(string text, string what) => ToInt(text, 10, what);

    /// <summary>Python's <c>int(text, radix)</c> for radix 8 or 10 (base 8 accepts an "0o" prefix).</summary>
    public static int ToInt(string text, int radix, string what)
    {
        var s = text.Trim();
        bool negative = false;
        if (s.StartsWith('+') || s.StartsWith('-'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (radix == 8 && s.Length > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) s = s[2..];
        long value = 0;
        bool digits = false, lastUnderscore = false;
        foreach (char c in s)
        {
            if (c == '_' && digits && !lastUnderscore)
            {
                lastUnderscore = true;
                continue;
            }
            int d = c - '0';
            if (d < 0 || d >= radix) return Invalid();
            value = value * radix + d;
            if (value > int.MaxValue + 1L) return Invalid();
            digits = true;
            lastUnderscore = false;
        }
        if (!digits || lastUnderscore) return Invalid();
        value = negative ? -value : value;
        if (value > int.MaxValue) return Invalid();
        return (int)value;

        int Invalid() => throw new ArgumentException(radix == 8
            ? $"'{text}' is not a valid {what}: expected an octal number."
            : $"'{text}' is not a valid {what}: expected a whole number.");
    }

    /// <summary>A flag: "true"/"false" (any case), "1" or "0"; anything else is an error naming <paramref name="what"/>.</summary>
    /// <exception cref="ArgumentException">Not one of those.</exception>
    public static bool ToBool(string text, string what) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new ArgumentException($"{what} must be true or false (or 1 or 0), not '{text}'."),
    };

    /// <summary>A port number: <see cref="ToInt(string, string)"/>, then 0 to 65535.</summary>
    /// <exception cref="ArgumentException">Not a number, or out of range.</exception>
    public static int ToPort(string text)
    {
        int port = ToInt(text, "port");
        if (port is < 0 or > System.Net.IPEndPoint.MaxPort)
            throw new ArgumentException($"{port} is not a valid port: ports are 0 to {System.Net.IPEndPoint.MaxPort}.");
        return port;
    }
}
