using System.Diagnostics;

namespace Kollect.Testing;

/// <summary>
/// Polling waits, the only ones in the tests: a condition is retried until it holds or a generous
/// deadline passes, then the test fails with what was awaited, the last observed state and the
/// diagnostics (operator log, resource status) — never an assertion on how long something took.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Between two probes of a server or broker (a process, HTTP, kcat).</summary>
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Between two checks of an in-process condition, which costs next to nothing.</summary>
    private static readonly TimeSpan ConditionInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns a value that is not null; fails after
    /// <paramref name="timeout"/> with <paramref name="what"/>, the last state <paramref name="probe"/>
    /// reported through <paramref name="describe"/> and <paramref name="diagnostics"/>.
    /// </summary>
    public static Task<T> WaitAsync<T>(
        string what,
        Func<Task<T?>> probe,
        Func<Task<string>> diagnostics,
        Func<string>? describe = null,
        TimeSpan? timeout = null)
        where T : class =>
        PollAsync(what, probe, diagnostics, describe, timeout ?? DefaultTimeout, ProbeInterval);

    /// <summary>Polls <paramref name="condition"/> until it is true; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Polls <paramref name="condition"/> until it is true; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        PollAsync<object>(what, async () => await condition() ? Satisfied : null, () => Task.FromResult(""), null, timeout ?? DefaultTimeout, ConditionInterval);

    private static readonly object Satisfied = new();

    private static async Task<T> PollAsync<T>(string what, Func<Task<T?>> probe, Func<Task<string>> diagnostics, Func<string>? describe, TimeSpan timeout, TimeSpan interval)
        where T : class
    {
        var clock = Stopwatch.StartNew();
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
            if (clock.Elapsed > timeout)
            {
                var state = describe?.Invoke() is { Length: > 0 } described ? $"\nlast state: {described}" : "";
                var error = lastError is null ? "" : $"\nlast probe error: {lastError.Message}";
                var more = await diagnostics() is { Length: > 0 } text ? $"\n{text}" : "";
                throw new Xunit.Sdk.XunitException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}{state}{error}{more}");
            }
            await Task.Delay(interval);
        }
    }
}
