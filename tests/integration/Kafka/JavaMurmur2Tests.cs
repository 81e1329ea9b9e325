namespace Kollect.Tests.Integration.Kafka;

/// <summary>The test's own murmur2 reproduces the Java client's published test vectors.</summary>
public sealed class JavaMurmur2Tests
{
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Hash_matches_the_Java_client(string key, int expected)
    {
        Assert.Equal(expected, JavaMurmur2.Hash(System.Text.Encoding.UTF8.GetBytes(key)));
    }
}
