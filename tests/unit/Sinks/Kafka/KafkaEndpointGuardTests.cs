using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Kafka;

namespace Kollect.Tests.Unit.Sinks.Kafka;

public sealed class KafkaEndpointGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("169.254.169.254")]
    public async Task Loopback_and_metadata_brokers_are_refused_by_default(string host)
    {
        var check = KafkaEndpointGuard.For(new EndpointPolicy());

        var refusal = await check(host, CancellationToken.None);

        Assert.NotNull(refusal);
    }

    [Fact]
    public async Task Loopback_broker_is_allowed_with_the_loopback_flag_and_the_refusal_names_the_flag()
    {
        var refused = await KafkaEndpointGuard.For(new EndpointPolicy())("127.0.0.1", CancellationToken.None);
        var allowed = await KafkaEndpointGuard.For(new EndpointPolicy { AllowLoopback = true })("127.0.0.1", CancellationToken.None);

        Assert.Contains("--allow-loopback-sinks", refused);
        Assert.Null(allowed);
    }

    [Fact]
    public async Task Private_broker_needs_the_private_flag()
    {
        var refused = await KafkaEndpointGuard.For(new EndpointPolicy())("10.1.2.3", CancellationToken.None);
        var allowed = await KafkaEndpointGuard.For(new EndpointPolicy { AllowPrivate = true })("10.1.2.3", CancellationToken.None);

        Assert.Contains("--allow-private-sinks", refused);
        Assert.Null(allowed);
    }
}
