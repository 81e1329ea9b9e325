using System.Globalization;
using Kollect.Testing.KubeApiServer;

// Test equipment (issue #4): runs the in-memory Kubernetes API server until SIGTERM/Ctrl-C.
// Flags: --port N (0 = free port), --https, --history-window N, --bookmark-interval-seconds S,
// --url-file PATH (written once listening), --kubeconfig PATH (written once listening), --log-requests,
// --rbac (ServiceAccount authentication and RBAC authorization).
var options = new KubeApiServerOptions();
string? urlFile = null;
string? kubeconfig = null;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--port":
            options = options with { Port = int.Parse(Next(), CultureInfo.InvariantCulture) };
            break;
        case "--https":
            options = options with { Https = true };
            break;
        case "--history-window":
            options = options with { HistoryWindow = int.Parse(Next(), CultureInfo.InvariantCulture) };
            break;
        case "--bookmark-interval-seconds":
            options = options with { BookmarkInterval = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) };
            break;
        case "--url-file":
            urlFile = Next();
            break;
        case "--kubeconfig":
            kubeconfig = Next();
            break;
        case "--rbac":
            options = options with { Rbac = true };
            break;
        case "--log-requests":
            options = options with { LogRequests = true };
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; see tests/KubeApiServer/README.md");
            return 2;
    }
}

await using var server = await KubeApiServerHost.StartAsync(options);
if (kubeconfig is not null)
{
    await File.WriteAllTextAsync(kubeconfig, server.KubeconfigYaml());
}
if (urlFile is not null)
{
    await File.WriteAllTextAsync(urlFile + ".tmp", server.BaseUrl);
    File.Move(urlFile + ".tmp", urlFile, overwrite: true);
}
Console.WriteLine($"kollect test API server listening on {server.BaseUrl}");
var stop = new TaskCompletionSource();
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    stop.TrySetResult();
});
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
await stop.Task;
return 0;
