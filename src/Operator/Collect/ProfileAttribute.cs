namespace Kollect.Operator.Collect;

/// <summary>
/// One <c>KollectProfile.spec.attributes[]</c> entry (golden <c>kollectprofile.spec.openapi.yaml</c>):
/// <c>name</c> and <c>path</c> required, <c>type</c> and <c>optional</c> optional. The schema
/// gives <c>type</c> as free text ("for example string, int, or bool") with no enum and no
/// conversion rule, and the samples use <c>string</c>, <c>list</c>, <c>int</c>, <c>map</c>; it is
/// therefore carried as documentation and neither converts nor rejects values (doing so would
/// drop rows the original keeps).
/// </summary>
public sealed record ProfileAttribute(string Name, string Path, string? Type = null, bool Optional = false);
