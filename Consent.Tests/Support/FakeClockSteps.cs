using Microsoft.Extensions.Time.Testing;

namespace Consent.Tests.Support;

/// <summary>Moving an app's fake clock the way time passes for its background jobs: a step at a time, each step given time to run.</summary>
public static class FakeClockSteps
{
    /// <summary>
    /// Advances <paramref name="clock"/> by <paramref name="step"/> until <paramref name="read"/> gives a value <paramref name="done"/>
    /// accepts, or 60 s of real time have passed; returns the last value read, for the test to assert on.
    /// </summary>
    public static async Task<T> AdvanceUntilAsync<T>(this FakeTimeProvider clock, TimeSpan step, Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            // The job's timer fires on the advance, but its run happens on another thread: let it finish before reading again.
            await Task.Delay(100);
            clock.Advance(step);
            value = await read();
        }
        return value;
    }
}
