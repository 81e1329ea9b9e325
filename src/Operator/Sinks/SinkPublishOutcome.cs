namespace Kollect.Operator.Sinks;

/// <summary>
/// What became of one published message. On failure <see cref="Reason"/> is a short CamelCase
/// word (the <c>kollect_sink_errors_total{reason}</c> label and the condition reason, for example
/// <c>SinkUnreachable</c>, <c>AuthenticationFailed</c>, <c>MessageTooLarge</c>, <c>PublishFailed</c>)
/// and <see cref="Message"/> says what to fix; <see cref="Transient"/> tells whether retrying the
/// same attempt later can succeed. <see cref="Location"/> is where it landed when delivered
/// (<c>topic[partition]@offset</c>, <c>stream#seq</c>).
/// </summary>
public sealed record SinkPublishOutcome(bool Delivered, bool Transient, string Reason, string Message, string? Location)
{
    public static SinkPublishOutcome Success(string location) => new(true, false, "Delivered", $"delivered to {location}", location);

    public static SinkPublishOutcome Failure(bool transient, string reason, string message) => new(false, transient, reason, message, null);
}
