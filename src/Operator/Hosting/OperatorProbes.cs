using Kollect.Operator.Observability;

namespace Kollect.Operator.Hosting;

/// <summary>
/// The <c>/healthz</c> <c>/livez</c> <c>/readyz</c> and <c>/metrics</c> servers (SPEC §7), bound
/// before the host is built so that liveness answers within milliseconds of the start (SPEC §10);
/// <see cref="ProbeService"/> connects readiness once the host exists and closes them last.
/// </summary>
public sealed class OperatorProbes : IAsyncDisposable
{
    private volatile Func<bool> _ready = () => false;

    private OperatorProbes(MetricsRegistry metrics) => Metrics = metrics;

    public MetricsRegistry Metrics { get; }

    public ProbeServer? Health { get; private set; }

    public ProbeServer? MetricsServer { get; private set; }

    /// <summary>Binds both servers (an address of <c>0</c> disables one); a bad or busy address throws.</summary>
    public static OperatorProbes Bind(OperatorHostOptions options)
    {
        var probes = new OperatorProbes(new MetricsRegistry());
        RuntimeMetrics.Register(probes.Metrics);
        try
        {
            probes.Health = Start(options.HealthProbeBindAddress, "--health-probe-bind-address", path => path switch
            {
                "/healthz" or "/livez" => ProbeResponse.Text(200, "ok\n"),
                "/readyz" => probes._ready() ? ProbeResponse.Text(200, "ok\n") : ProbeResponse.Text(503, "caches not synced\n"),
                _ => ProbeResponse.Text(404, "not found\n"),
            });
            probes.MetricsServer = Start(options.MetricsBindAddress, "--metrics-bind-address", path => path == "/metrics"
                ? new ProbeResponse(200, "text/plain; version=0.0.4; charset=utf-8", probes.Metrics.Render())
                : ProbeResponse.Text(404, "not found\n"));
            return probes;
        }
        catch
        {
            probes.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Where readiness comes from once the host is built (not ready until then).</summary>
    public void ReadyWhen(Func<bool> ready) => _ready = ready;

    public async ValueTask DisposeAsync()
    {
        if (Health is not null)
        {
            await Health.DisposeAsync().ConfigureAwait(false);
            Health = null;
        }
        if (MetricsServer is not null)
        {
            await MetricsServer.DisposeAsync().ConfigureAwait(false);
            MetricsServer = null;
        }
    }

    private static ProbeServer? Start(string address, string setting, Func<string, ProbeResponse> route)
    {
        System.Net.IPEndPoint? endPoint;
        try
        {
            endPoint = ProbeServer.ParseBindAddress(address);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{setting}: {e.Message}", e);
        }
        return endPoint is null ? null : ProbeServer.Start(endPoint, route);
    }
}
