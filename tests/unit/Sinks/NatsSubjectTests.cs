using Kollect.Operator.Sinks.Nats;

namespace Kollect.Tests.Unit.Sinks;

public sealed class NatsSubjectTests
{
    [Theory]
    [InlineData("kollect.events", false, true)]
    [InlineData("kollect.*", false, false)]
    [InlineData("kollect.>", false, false)]
    [InlineData("kollect.>", true, true)]
    [InlineData("kollect.>.x", true, false)]
    [InlineData("kollect..events", true, false)]
    [InlineData(".kollect", true, false)]
    [InlineData("kollect events", true, false)]
    [InlineData("kollect\r\nPUB x 1", false, false)]
    [InlineData("", true, false)]
    public void Validates_subjects(string subject, bool allowWildcards, bool valid)
    {
        Assert.Equal(valid, NatsSubject.DescribeProblem(subject, allowWildcards) is null);
    }

    [Fact]
    public void A_wildcard_publish_subject_is_a_configuration_error()
    {
        NatsException e = Assert.Throws<NatsException>(() => new NatsEventPublisher(new NatsSinkOptions { Url = "nats://nats.example.com", Subject = "kollect.*" }));

        Assert.Equal(NatsFailureKind.InvalidConfiguration, e.Kind);
        Assert.Contains("'kollect.*'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.b", "a.b", true)]
    [InlineData("a.*", "a.b", true)]
    [InlineData("a.*", "a.b.c", false)]
    [InlineData("a.>", "a.b.c", true)]
    [InlineData("a.>", "a", false)]
    [InlineData(">", "a", true)]
    [InlineData("a.b", "a.c", false)]
    [InlineData("*.b", "a.b", true)]
    public void Matches_subjects_against_stream_patterns(string pattern, string subject, bool matches)
    {
        Assert.Equal(matches, NatsSubject.Matches(pattern, subject));
    }

    [Fact]
    public void Message_size_counts_the_header_block_as_written_on_the_wire()
    {
        // "NATS/1.0\r\n" + "k: v\r\n" + "Nats-Msg-Id: 1\r\n" + "\r\n" = 10 + 6 + 16 + 2.
        Assert.Equal(34 + 5, NatsMessageSize.Of([new("k", "v"), new("Nats-Msg-Id", "1")], 5));
        Assert.Equal(5, NatsMessageSize.Of([], 5));
    }

    [Fact]
    public void Creds_text_needs_both_blocks_and_problems_never_quote_it()
    {
        const string Jwt = "-----BEGIN NATS USER JWT-----\neyJ0eXAi.canary-jwt\n------END NATS USER JWT------\n";
        const string Seed = "-----BEGIN USER NKEY SEED-----\nSUAcanaryseed\n------END USER NKEY SEED------\n";

        Assert.Null(NatsAuthOptions.DescribeCredsProblem(Jwt + "\n" + Seed));
        Assert.Contains("no NKey seed block", NatsAuthOptions.DescribeCredsProblem(Jwt), StringComparison.Ordinal);
        Assert.Contains("no user JWT block", NatsAuthOptions.DescribeCredsProblem(Seed), StringComparison.Ordinal);
        string problem = NatsAuthOptions.DescribeCredsProblem("canary-not-creds")!;
        Assert.Contains("not a NATS credentials file", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("canary", problem, StringComparison.Ordinal);
    }
}
