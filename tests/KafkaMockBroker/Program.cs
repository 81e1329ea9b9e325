using System.Globalization;
using System.Runtime.InteropServices;
using Kollect.Testing.Kafka;

// Test equipment: librdkafka's mock Kafka cluster as a process, for scripts (scripts/local-brokers.sh).
// Usage: Kollect.Testing.KafkaMockBroker [--brokers N] [--partitions N] [--until-stdin-closes] [TOPIC ...]
// Creates the topics, prints the bootstrap list (127.0.0.1:port,...) as the only line on standard
// output, and serves until SIGTERM or Ctrl-C (or, with --until-stdin-closes, until standard input
// closes, so a parent that dies takes the broker with it). The mock keeps messages in memory only.
var brokers = 1;
var partitions = 1;
var untilStdinCloses = false;
var topics = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--brokers" or "--partitions":
            var flag = args[i];
            if (i + 1 >= args.Length || !int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            {
                Console.Error.WriteLine($"error: {flag} needs a positive whole number");
                return 2;
            }

            if (flag == "--brokers")
            {
                brokers = count;
            }
            else
            {
                partitions = count;
            }

            break;
        case "--until-stdin-closes":
            untilStdinCloses = true;
            break;
        case "-h" or "--help":
            Console.WriteLine("usage: Kollect.Testing.KafkaMockBroker [--brokers N] [--partitions N] [--until-stdin-closes] [TOPIC ...]");
            return 0;
        case var unknown when unknown.StartsWith('-'):
            Console.Error.WriteLine($"error: unknown option {unknown}; see --help");
            return 2;
        default:
            topics.Add(args[i]);
            break;
    }
}

using var cluster = new KafkaMockCluster(brokers);
foreach (var topic in topics)
{
    // The mock would create a topic on first use with one partition; creating it up front gives
    // it the requested partition count before any client asks.
    cluster.CreateTopic(topic, partitions);
}

Console.WriteLine(cluster.Bootstrap);
Console.Out.Flush();

var stop = new TaskCompletionSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
if (untilStdinCloses)
{
    _ = Task.Run(async () =>
    {
        using var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (await stdin.ReadAsync(buffer) > 0)
        {
        }

        stop.TrySetResult();
    });
}

await stop.Task;
return 0;
