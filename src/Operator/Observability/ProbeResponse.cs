namespace Kollect.Operator.Observability;

/// <summary>What <see cref="ProbeServer"/> answers for one path.</summary>
public readonly record struct ProbeResponse(int StatusCode, string ContentType, string Body)
{
    public static ProbeResponse Text(int statusCode, string body) => new(statusCode, "text/plain; charset=utf-8", body);
}
