using Kollect.Operator.Hosting;
using Xunit;

namespace Kollect.Tests.Unit.Hosting;

public sealed class StartupPageTrimTests
{
    [Fact]
    public void Advises_the_read_only_mappings_of_the_running_executable_and_leaves_the_process_working()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var exe = Path.GetFullPath(Environment.ProcessPath!);
        var readOnly = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 6 && f[5].Trim() == exe && !f[1].Contains('w'))
            .Sum(f =>
            {
                var range = f[0].Split('-');
                return Convert.ToInt64(range[1], 16) - Convert.ToInt64(range[0], 16);
            });
        Assert.True(readOnly > 0, $"the test host {exe} has no read-only mapping in /proc/self/maps");

        Assert.Equal(readOnly, StartupPageTrim.Run());
        // The pages were only a hint away: code of the executable still runs afterwards.
        Assert.Equal(readOnly, StartupPageTrim.Run());
    }
}
