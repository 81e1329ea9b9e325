namespace Kollect.Operator.Sinks.Common;

/// <summary>
/// Why a <c>KollectEventSink</c> could not be turned into publisher settings. <see cref="Reason"/>
/// is the <c>ConnectionVerified</c> condition reason of SPEC §2.1 (<see cref="SecretResolveFailed"/>
/// or <see cref="ConnectionTestFailed"/>); <see cref="Message"/> names the sink and the field and
/// never contains a secret value (SPEC §6.5).
/// </summary>
public sealed record EventSinkResolveFailure(string Reason, string Message)
{
    /// <summary>A referenced Secret, or a key in it, is missing, refused or unusable.</summary>
    public const string SecretResolveFailed = "SecretResolveFailed";

    /// <summary>The sink's own settings cannot be used to connect.</summary>
    public const string ConnectionTestFailed = "ConnectionTestFailed";
}
