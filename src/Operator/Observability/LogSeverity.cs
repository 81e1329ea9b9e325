namespace Kollect.Operator.Observability;

/// <summary>Log levels, lowest first; <c>--log-level</c> names them in lower case.</summary>
public enum LogSeverity
{
    Debug,
    Info,
    Warn,
    Error,
}
