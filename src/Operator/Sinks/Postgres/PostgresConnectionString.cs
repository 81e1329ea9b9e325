// Over 400 lines: the libpq keyword/value and URI grammars and their parameter table belong together.
// Our own parser because Npgsql reads only its own "Key=Value;" strings, while a database sink's Secret
// holds a libpq connection string (key=value or postgres:// URI), as libpq, psql and Go drivers read them.
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Postgres;

/// <summary>
/// A libpq connection string from a database sink's Secret (key <c>dsn</c> or <c>url</c>, SPEC §2.5),
/// parsed: <c>host=db.example.com port=5432 dbname=inventory user=kollect password=… sslmode=verify-full</c>
/// or <c>postgresql://kollect:…@db.example.com:5432/inventory?sslmode=verify-full</c>. Several hosts
/// (<c>host=a,b</c>, <c>postgresql://a,b:5433/db</c>) are tried in order. Parameters that name files on
/// the operator's filesystem (<c>sslrootcert</c>, <c>passfile</c>, …) and Unix-domain sockets are refused:
/// the operator's files are not the sink owner's to choose. Problems never repeat a value of the
/// string, only parameter names, so a password cannot leak through an error.
/// </summary>
public sealed record PostgresConnectionString
{
    private static readonly string[] FileParameters = ["sslrootcert", "sslcert", "sslkey", "sslcrl", "sslcrldir", "sslpassword", "passfile", "service", "servicefile", "sslkeylogfile"];

    public required IReadOnlyList<PostgresHost> Hosts { get; init; }

    public required string Database { get; init; }

    public required string User { get; init; }

    /// <summary>Null when the string has none (trust or certificate authentication).</summary>
    public string? Password { get; init; }

    public PostgresSslMode SslMode { get; init; } = PostgresSslMode.Prefer;

    /// <summary><c>connect_timeout</c>; null when absent or 0 (then the operator's connect timeout applies).</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary><c>application_name</c> (or <c>fallback_application_name</c>).</summary>
    public string? ApplicationName { get; init; }

    /// <summary>libpq <c>options</c>: command-line options for the server, such as <c>-c search_path=inventory</c>.</summary>
    public string? ServerOptions { get; init; }

    /// <summary><c>channel_binding</c>: <c>disable</c>, <c>prefer</c> or <c>require</c>; null when absent.</summary>
    public string? ChannelBinding { get; init; }

    /// <summary><c>keepalives</c> (default on), <c>keepalives_idle</c> and <c>keepalives_interval</c>.</summary>
    public bool TcpKeepAlive { get; init; } = true;

    public TimeSpan? TcpKeepAliveIdle { get; init; }

    public TimeSpan? TcpKeepAliveInterval { get; init; }

    /// <summary>The servers, database and user, for messages; never the password.</summary>
    public string Describe() => $"{string.Join(",", Hosts)}/{Database} as {User}";

    public override string ToString() => Describe();

    /// <summary>Parses a libpq connection string; <paramref name="problem"/> says what is wrong without quoting any value.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out PostgresConnectionString? result, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        result = null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            problem = "is empty; write a connection string such as host=db.example.com dbname=inventory user=kollect password=… sslmode=verify-full";
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var parsed = IsUri(trimmed) ? TryParseUri(trimmed, parameters, out problem) : TryParseKeywords(trimmed, parameters, out problem);
        return parsed && TryInterpret(parameters, out result, out problem);
    }

    private static bool IsUri(string text) =>
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    // libpq keyword/value form: key = value pairs separated by whitespace; a value may be single-quoted;
    // a backslash escapes the next character in quoted and unquoted values alike.
    private static bool TryParseKeywords(string text, Dictionary<string, string> parameters, [NotNullWhen(false)] out string? problem)
    {
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                problem = null;
                return true;
            }

            var keyStart = i;
            while (i < text.Length && text[i] != '=' && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var key = text[keyStart..i];
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length || text[i] != '=')
            {
                problem = key.Contains("://", StringComparison.Ordinal)
                    ? "is neither key=value pairs nor a postgres:// or postgresql:// URI"
                    : $"has no '=' after the parameter {ShowKey(key)}; write key=value pairs separated by spaces";
                return false;
            }

            if (key.Length == 0)
            {
                problem = "has a '=' without a parameter name before it";
                return false;
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var value = new StringBuilder();
            if (i < text.Length && text[i] == '\'')
            {
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    var c = text[i++];
                    if (c == '\\' && i < text.Length)
                    {
                        value.Append(text[i++]);
                    }
                    else if (c == '\'')
                    {
                        closed = true;
                        break;
                    }
                    else
                    {
                        value.Append(c);
                    }
                }

                if (!closed)
                {
                    problem = $"has an unterminated quoted value for {ShowKey(key)}";
                    return false;
                }
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    var c = text[i++];
                    value.Append(c == '\\' && i < text.Length ? text[i++] : c);
                }
            }

            parameters[key] = value.ToString();
        }
    }

    // postgresql://[user[:password]@][host[:port][,host[:port]…]][/dbname][?key=value&…], percent-encoded.
    private static bool TryParseUri(string text, Dictionary<string, string> parameters, [NotNullWhen(false)] out string? problem)
    {
        var rest = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var query = "";
        var questionMark = rest.IndexOf('?', StringComparison.Ordinal);
        if (questionMark >= 0)
        {
            query = rest[(questionMark + 1)..];
            rest = rest[..questionMark];
        }

        // The last '@' ends the user part, so an unencoded '@' or '/' in a password still parses.
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            if (!TryDecode(colon < 0 ? userInfo : userInfo[..colon], out var user) || (colon >= 0 && !TryDecode(userInfo[(colon + 1)..], out _)))
            {
                problem = "has a badly percent-encoded user name or password in the URI";
                return false;
            }

            parameters["user"] = user;
            if (colon >= 0)
            {
                TryDecode(userInfo[(colon + 1)..], out var password);
                parameters["password"] = password;
            }
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hostSpec = slash < 0 ? rest : rest[..slash];
        if (slash >= 0)
        {
            if (!TryDecode(rest[(slash + 1)..], out var database))
            {
                problem = "has a badly percent-encoded database name in the URI";
                return false;
            }

            if (database.Length > 0)
            {
                parameters["dbname"] = database;
            }
        }

        if (hostSpec.Length > 0 && !TrySplitHostSpec(hostSpec, parameters, out problem))
        {
            return false;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !TryDecode(pair[..equals], out var key) || !TryDecode(pair[(equals + 1)..], out var value))
            {
                problem = "has a URI query part that is not key=value pairs joined by '&'";
                return false;
            }

            parameters[key] = value;
        }

        problem = null;
        return true;
    }

    private static bool TrySplitHostSpec(string hostSpec, Dictionary<string, string> parameters, [NotNullWhen(false)] out string? problem)
    {
        var hosts = new List<string>();
        var ports = new List<string>();
        foreach (var entry in hostSpec.Split(','))
        {
            string host, port = "";
            if (entry.StartsWith('['))
            {
                var close = entry.IndexOf(']', StringComparison.Ordinal);
                if (close < 0 || (close + 1 < entry.Length && entry[close + 1] != ':'))
                {
                    problem = "has an IPv6 host in the URI that is not written as [address] or [address]:port";
                    return false;
                }

                host = entry[1..close];
                port = close + 1 < entry.Length ? entry[(close + 2)..] : "";
            }
            else
            {
                var colon = entry.LastIndexOf(':');
                host = colon < 0 ? entry : entry[..colon];
                port = colon < 0 ? "" : entry[(colon + 1)..];
            }

            if (!TryDecode(host, out var decoded))
            {
                problem = "has a badly percent-encoded host in the URI";
                return false;
            }

            hosts.Add(decoded);
            ports.Add(port);
        }

        parameters["host"] = string.Join(",", hosts);
        if (ports.Any(p => p.Length > 0))
        {
            parameters["port"] = string.Join(",", ports); // not a Kollect field: a libpq connection keyword
        }

        problem = null;
        return true;
    }

    private static bool TryInterpret(Dictionary<string, string> parameters, [NotNullWhen(true)] out PostgresConnectionString? result, [NotNullWhen(false)] out string? problem)
    {
        result = null;
        foreach (var key in parameters.Keys)
        {
            if (FileParameters.Contains(key, StringComparer.Ordinal))
            {
                problem = key is "sslcert" or "sslkey" or "sslpassword"
                    ? $"sets {key}: client certificates are not supported for database sinks; authenticate with user and password"
                    : $"sets {key}, which names a file on the operator's filesystem; remove it (put a CA bundle in {DatabaseSinkFields.SpecTlsCaBundle} or {DatabaseSinkFields.SpecTlsCaSecretRef}, credentials in this connection string)";
                return false;
            }

            if (!KnownParameters.Contains(key))
            {
                problem = $"has the parameter {ShowKey(key)}, which this operator does not know; supported: {string.Join(", ", KnownParameters.Order(StringComparer.Ordinal))}";
                return false;
            }
        }

        if (parameters.ContainsKey("hostaddr"))
        {
            problem = "sets hostaddr, which is not supported; name the server in host (the operator resolves it and checks every address)";
            return false;
        }

        if (!TryHosts(parameters, out var hosts, out problem))
        {
            return false;
        }

        var user = parameters.GetValueOrDefault("user") ?? "";
        if (user.Length == 0)
        {
            problem = "names no user; add user=… (the operator has no login name of its own to fall back on)";
            return false;
        }

        var sslMode = PostgresSslMode.Prefer;
        if (parameters.TryGetValue("sslmode", out var mode))
        {
            PostgresSslMode? known = mode switch
            {
                "disable" => PostgresSslMode.Disable,
                "allow" => PostgresSslMode.Allow,
                "prefer" => PostgresSslMode.Prefer,
                "require" => PostgresSslMode.Require,
                "verify-ca" => PostgresSslMode.VerifyCa,
                "verify-full" => PostgresSslMode.VerifyFull,
                _ => null,
            };
            if (known is null)
            {
                problem = "has an sslmode that is not one of disable, allow, prefer, require, verify-ca, verify-full";
                return false;
            }

            sslMode = known.Value;
        }

        if (!TrySeconds(parameters, "connect_timeout", out var connectTimeout, out problem)
            || !TrySeconds(parameters, "keepalives_idle", out var keepAliveIdle, out problem)
            || !TrySeconds(parameters, "keepalives_interval", out var keepAliveInterval, out problem)
            || !TryChoice(parameters, "channel_binding", ["disable", "prefer", "require"], out var channelBinding, out problem)
            || !TryChoice(parameters, "keepalives", ["0", "1"], out var keepAlives, out problem)
            || !TryChoice(parameters, "gssencmode", ["disable", "prefer"], out _, out problem)
            || !TryChoice(parameters, "sslnegotiation", ["postgres"], out _, out problem) // not a Kollect field: a libpq keyword value
            || !TryChoice(parameters, "target_session_attrs", ["any"], out _, out problem))
        {
            return false;
        }

        if (parameters.TryGetValue("client_encoding", out var encoding) && !encoding.Replace("-", "", StringComparison.Ordinal).Equals("UTF8", StringComparison.OrdinalIgnoreCase))
        {
            problem = "sets client_encoding to something other than UTF8; remove it (rows are JSON in UTF-8)";
            return false;
        }

        result = new PostgresConnectionString
        {
            Hosts = hosts,
            User = user,
            Database = parameters.GetValueOrDefault("dbname") is { Length: > 0 } database ? database : user,
            Password = parameters.GetValueOrDefault("password"),
            SslMode = sslMode,
            ConnectTimeout = connectTimeout is { } timeout && timeout > TimeSpan.Zero ? timeout : null,
            ApplicationName = parameters.GetValueOrDefault("application_name") ?? parameters.GetValueOrDefault("fallback_application_name"),
            ServerOptions = parameters.GetValueOrDefault("options"), // not a Kollect field: a libpq connection keyword
            ChannelBinding = channelBinding,
            TcpKeepAlive = keepAlives != "0",
            TcpKeepAliveIdle = keepAliveIdle,
            TcpKeepAliveInterval = keepAliveInterval,
        };
        problem = null;
        return true;
    }

    private static readonly HashSet<string> KnownParameters = new(StringComparer.Ordinal)
    {
        "host", "hostaddr", "port", "dbname", "user", "password", "sslmode", "connect_timeout", "application_name", // not a Kollect field: libpq connection keywords
        "fallback_application_name", "options", "channel_binding", "keepalives", "keepalives_idle", "keepalives_interval", // not a Kollect field: libpq connection keywords
        "client_encoding", "gssencmode", "sslnegotiation", "target_session_attrs",
    };

    private static bool TryHosts(Dictionary<string, string> parameters, out List<PostgresHost> hosts, [NotNullWhen(false)] out string? problem)
    {
        hosts = [];
        var names = (parameters.GetValueOrDefault("host") ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (names.All(n => n.Length == 0))
        {
            problem = "names no host; add host=… (Unix-domain sockets are not supported)";
            return false;
        }

        var ports = parameters.TryGetValue("port", out var portList) ? portList.Split(',', StringSplitOptions.TrimEntries) : [""]; // not a Kollect field: a libpq connection keyword
        if (ports.Length != 1 && ports.Length != names.Length)
        {
            problem = $"lists {names.Length} hosts but {ports.Length} ports; give one port for all hosts or one per host";
            return false;
        }

        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i];
            if (name.Length == 0 || name.StartsWith('/') || name.StartsWith('@'))
            {
                problem = name.Length == 0
                    ? "has an empty entry in its host list"
                    : "names a Unix-domain socket directory as host; database sinks connect over TCP only";
                return false;
            }

            var portText = ports.Length == 1 ? ports[0] : ports[i];
            var port = PostgresHost.DefaultPort;
            if (portText.Length > 0 && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
            {
                problem = "has a port that is not a number from 1 to 65535";
                return false;
            }

            hosts.Add(new PostgresHost(name.Trim('[', ']'), port));
        }

        problem = null;
        return true;
    }

    private static bool TrySeconds(Dictionary<string, string> parameters, string key, out TimeSpan? value, [NotNullWhen(false)] out string? problem)
    {
        value = null;
        problem = null;
        if (!parameters.TryGetValue(key, out var text))
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            problem = $"has a {key} that is not a whole number of seconds";
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static bool TryChoice(Dictionary<string, string> parameters, string key, string[] allowed, out string? value, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        if (!parameters.TryGetValue(key, out value))
        {
            return true;
        }

        if (allowed.Contains(value, StringComparer.Ordinal))
        {
            return true;
        }

        problem = $"sets {key} to a value this operator does not support; supported: {string.Join(", ", allowed)}";
        return false;
    }

    private static bool TryDecode(string text, out string decoded)
    {
        decoded = text;
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return true;
        }

        var bytes = new List<byte>(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var percent = text.IndexOf('%', i);
            if (percent < 0)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i..]));
                break;
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(text[i..percent]));
            if (percent + 2 >= text.Length || !byte.TryParse(text.AsSpan(percent + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                return false;
            }

            bytes.Add(b);
            i = percent + 3;
        }

        decoded = Encoding.UTF8.GetString(bytes.ToArray());
        return true;
    }

    // Parameter names are not secret, but a mangled string could put part of a password where a
    // name is expected: long or odd-looking names are not echoed.
    private static string ShowKey(string key) =>
        key.Length is > 0 and <= 32 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"'{key}'" : "(not shown)";
}
