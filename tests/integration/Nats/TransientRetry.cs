using Kollect.Operator.Sinks.Nats;

namespace Kollect.Tests.Integration.Nats;

/// <summary>What a caller of the publisher does: retry the same operation while the failure is transient.</summary>
internal static class TransientRetry
{
    public static async Task RunAsync(Func<Task> operation)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await operation();
                return;
            }
            catch (NatsException e) when (e.IsTransient && attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }
}
