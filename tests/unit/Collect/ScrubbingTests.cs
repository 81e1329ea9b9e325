using System.Buffers;
using System.Text;
using System.Text.Json;
using Kollect.Operator.Export;

namespace Kollect.Tests.Unit.Collect;

public sealed class ScrubbingTests
{
    private const string Redacted = """{"reason":"sensitive-key","redacted":true}""";

    private static string Scrub(string json, SensitiveKeyScrubber? scrubber = null)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();
        new GoJsonWriter(buffer).WriteElement(document.RootElement, scrubber ?? SensitiveKeyScrubber.Default);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    // exact entries, any case, any value type
    [InlineData("""{"password":"x"}""", """{"password":§}""")]
    [InlineData("""{"PASSWORD":1}""", """{"PASSWORD":§}""")]
    [InlineData("""{"passwd":"x","secret":"x","token":"x","apikey":"x","api_key":"x","privatekey":"x","private_key":"x","credential":"x","auth":"x","clientsecret":"x","connectionstring":"x"}""",
        """{"api_key":§,"apikey":§,"auth":§,"clientsecret":§,"connectionstring":§,"credential":§,"passwd":§,"private_key":§,"privatekey":§,"secret":§,"token":§}""")]
    [InlineData("""{"token":{"a":[1,2]}}""", """{"token":§}""")]
    // suffixes
    [InlineData("""{"dbPassword":"x","GITHUB_TOKEN":"x","oauth":"x","clientSecret":"x","x-api-key":"y"}""", """{"GITHUB_TOKEN":§,"clientSecret":§,"dbPassword":§,"oauth":§,"x-api-key":"y"}""")]
    // not a suffix: contained or extended words stay
    [InlineData("""{"tokens":1,"secrets":2,"author":3,"passwordPolicy":4,"authMode":5}""", """{"authMode":5,"author":3,"passwordPolicy":4,"secrets":2,"tokens":1}""")]
    // secretKeyRef / secretRef maps (only maps)
    [InlineData("""{"secretKeyRef":{"name":"db","key":"k"},"secretRef":{"name":"s"}}""", """{"secretKeyRef":§,"secretRef":§}""")]
    [InlineData("""{"secretRef":"name-only"}""", """{"secretRef":"name-only"}""")]
    // valueFrom holding secretKeyRef is redacted whole; other valueFrom kept
    [InlineData("""{"env":[{"name":"A","valueFrom":{"secretKeyRef":{"name":"db"}}},{"name":"B","valueFrom":{"fieldRef":{"fieldPath":"x"}}}]}""",
        """{"env":[{"name":"A","valueFrom":§},{"name":"B","valueFrom":{"fieldRef":{"fieldPath":"x"}}}]}""")]
    // tls holding key is redacted whole; tls without key kept
    [InlineData("""{"tls":{"crt":"c","key":"k"}}""", """{"tls":§}""")]
    [InlineData("""{"tls":{"crt":"c","insecure":true}}""", """{"tls":{"crt":"c","insecure":true}}""")]
    // deep inside lists and maps
    [InlineData("""[{"a":{"b":[{"myToken":"x","ok":1}]}}]""", """[{"a":{"b":[{"myToken":§,"ok":1}]}}]""")]
    // values that look secret but sit under harmless keys are kept
    [InlineData("""{"name":"password"}""", """{"name":"password"}""")]
    public void Table(string input, string expected) => Assert.Equal(expected.Replace("§", Redacted, StringComparison.Ordinal), Scrub(input));

    [Fact]
    public void Short_extra_entries_match_whole_keys_only_long_ones_also_suffixes()
    {
        var scrubber = new SensitiveKeyScrubber(["id", "ssn"]);
        Assert.Equal("""{"ID":§,"myssn":§,"uid":1}""".Replace("§", Redacted, StringComparison.Ordinal), Scrub("""{"uid":1,"ID":2,"myssn":3}""", scrubber));
        Assert.True(scrubber.ShouldRedactKey("password"));
    }
}
