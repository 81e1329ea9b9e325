using System.Globalization;
using System.Text.Json.Serialization;

namespace Kollect.Api;

/// <summary>
/// A value that is either a 32-bit integer or a string, as Kubernetes <c>intstr.IntOrString</c>
/// (schema nodes marked <c>x-kubernetes-int-or-string: true</c>). Writes back the form it holds.
/// </summary>
[JsonConverter(typeof(IntOrStringJsonConverter))]
public readonly struct IntOrString : IEquatable<IntOrString>
{
    private readonly string? _string;

    /// <summary>Holds an integer.</summary>
    public IntOrString(int value)
    {
        IntValue = value;
        _string = null;
    }

    /// <summary>Holds a string.</summary>
    public IntOrString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        IntValue = 0;
        _string = value;
    }

    /// <summary>True when the value is an integer.</summary>
    public bool IsInt => _string is null;

    /// <summary>The integer; 0 when the value is a string.</summary>
    public int IntValue { get; }

    /// <summary>The string; null when the value is an integer.</summary>
    public string? StringValue => _string;

    /// <summary>Converts an integer.</summary>
    public static implicit operator IntOrString(int value) => new(value);

    /// <summary>Converts a string.</summary>
    public static implicit operator IntOrString(string value) => new(value);

    /// <summary>The integer or the string, as text.</summary>
    public override string ToString() => _string ?? IntValue.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public bool Equals(IntOrString other) => IntValue == other.IntValue && string.Equals(_string, other._string, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is IntOrString other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _string is null ? IntValue : StringComparer.Ordinal.GetHashCode(_string);

    /// <summary>Equality.</summary>
    public static bool operator ==(IntOrString left, IntOrString right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(IntOrString left, IntOrString right) => !left.Equals(right);
}
