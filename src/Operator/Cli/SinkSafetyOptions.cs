using System.CommandLine;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Cli;

/// <summary>
/// The sink-safety flags that <c>validate</c>, <c>probe</c> and <c>export</c> share with
/// <c>kollect run</c> (SPEC §6.5), defined once so their names and meaning cannot drift.
/// </summary>
internal sealed class SinkSafetyOptions
{
    public Option<bool> AllowPrivate { get; } = new("--allow-private-sinks")
    {
        Description = "Accept sink endpoints in private address ranges (10/8, 172.16/12, 192.168/16, fc00::/7), as the operator does with the same flag.",
    };

    public Option<bool> AllowLoopback { get; } = new("--allow-loopback-sinks")
    {
        Description = "Accept loopback sink endpoints (localhost, 127.0.0.0/8, ::1); for development and tests, as the operator does with the same flag.",
    };

    public Option<bool> AllowCrossNamespaceSecrets { get; } = new("--allow-cross-namespace-secrets")
    {
        Description = $"Let a sink reference a Secret in another namespace ({KollectEventSinkSpec.JsonNames.SecretRef}.{KollectEventSinkSpecSecretRef.JsonNames.Namespace}), as the operator does with the same flag; refused otherwise.",
    };

    public EndpointPolicy Policy(ParseResult parseResult) =>
        new(parseResult.GetValue(AllowPrivate), parseResult.GetValue(AllowLoopback));
}
