namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// Seam for the sink endpoint guard (SPEC §6.5): decides whether a broker host may be dialed.
/// </summary>
/// <param name="host">Host name or IP literal of a bootstrap broker or of a broker the cluster advertised.</param>
/// <param name="cancellationToken">Cancels resolution.</param>
/// <returns>null when the host is allowed; otherwise why it is refused (shown to people, so no secrets).</returns>
public delegate Task<string?> KafkaBrokerEndpointCheck(string host, CancellationToken cancellationToken);
