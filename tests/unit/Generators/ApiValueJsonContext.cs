using System.Text.Json.Serialization;
using Kollect.Api;

namespace Kollect.Tests.Unit.Generators;

/// <summary>Type info for the hand-written API value types on their own.</summary>
[JsonSerializable(typeof(IntOrString))]
[JsonSerializable(typeof(Duration))]
internal sealed partial class ApiValueJsonContext : JsonSerializerContext;
