namespace Kollect.Tests.E2e.Local;

/// <summary>
/// Polling waits: a condition is retried until it holds or a generous deadline passes, then the
/// test fails with what was awaited, the last observed state and the diagnostics (operator log,
/// resource status) — never an assertion on how long something took.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns a value that is not null; fails after
    /// <paramref name="timeout"/> with <paramref name="what"/>, the last state <paramref name="probe"/>
    /// reported through <paramref name="describe"/> and <paramref name="diagnostics"/>.
    /// </summary>
    public static async Task<T> WaitAsync<T>(
        string what,
        Func<Task<T?>> probe,
        Func<Task<string>> diagnostics,
        Func<string>? describe = null,
        TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        Exception? lastError = null;
        while (true)
        {
            try
            {
                if (await probe() is { } result)
                {
                    return result;
                }
                lastError = null;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException or HttpRequestException or System.Net.Sockets.SocketException)
            {
                // A broker or server that cannot be read right now is a state like any other: keep it
                // for the report. Assertion failures (an envelope that breaks the contract) end the wait at once.
                lastError = e;
            }
            if (DateTime.UtcNow > deadline)
            {
                var state = describe?.Invoke() ?? "";
                var error = lastError is null ? "" : $"\nlast probe error: {lastError.Message}";
                throw new Xunit.Sdk.XunitException(
                    $"timed out after {(timeout ?? DefaultTimeout).TotalSeconds:0} s waiting for {what}\nlast state: {state}{error}\n{await diagnostics()}");
            }
            await Task.Delay(200);
        }
    }
}
