using Kollect.Api;

namespace Kollect.Tests.Unit.Generators;

/// <summary>Go duration strings parse and print as Go's time package does.</summary>
public sealed class DurationTests
{
    private const long Second = 1_000_000_000;

    [Theory]
    [InlineData("30s", 30 * Second)]
    [InlineData("1h30m", 5400 * Second)]
    [InlineData("1.5h", 5400 * Second)]
    [InlineData("300ms", 300_000_000)]
    [InlineData("0s", 0)]
    [InlineData("0", 0)]
    [InlineData("-1m", -60 * Second)]
    [InlineData("+5s", 5 * Second)]
    [InlineData("1ns", 1)]
    [InlineData("2us", 2_000)]
    [InlineData("2µs", 2_000)]
    [InlineData("2μs", 2_000)]
    [InlineData(".5s", 500_000_000)]
    [InlineData("1h2m3.004s", 3723_004_000_000)]
    [InlineData("9223372036854775807ns", long.MaxValue)]
    [InlineData("-9223372036854775808ns", long.MinValue)]
    public void Parses_go_durations(string text, long nanoseconds)
    {
        Assert.Equal(nanoseconds, Duration.Parse(text).Nanoseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("abc")]
    [InlineData("1d")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("1.2.3s")]
    [InlineData("-")]
    [InlineData("9223372036854775808ns")]
    [InlineData("3000000h")]
    public void Rejects_what_go_rejects(string text)
    {
        Assert.False(Duration.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => Duration.Parse(text));
        Assert.StartsWith("time: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(1, "1ns")]
    [InlineData(1_500, "1.5µs")]
    [InlineData(300_000_000, "300ms")]
    [InlineData(1_500_000_000, "1.5s")]
    [InlineData(30 * Second, "30s")]
    [InlineData(90 * Second, "1m30s")]
    [InlineData(3600 * Second, "1h0m0s")]
    [InlineData(5400 * Second, "1h30m0s")]
    [InlineData(-60 * Second, "-1m0s")]
    [InlineData(long.MaxValue, "2562047h47m16.854775807s")]
    [InlineData(long.MinValue, "-2562047h47m16.854775808s")]
    public void Formats_like_go(long nanoseconds, string text)
    {
        Assert.Equal(text, new Duration(nanoseconds).ToString());
    }

    [Fact]
    public void Converts_to_and_from_time_span()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), Duration.Parse("1m30s").ToTimeSpan());
        Assert.Equal("1m30s", Duration.FromTimeSpan(TimeSpan.FromSeconds(90)).ToString());
    }
}
