namespace Kollect.Operator.Manifests;

/// <summary>
/// Everything read from a set of paths. A file that cannot be read contributes an error and no
/// documents; the other files are still read, so one typo does not hide every other problem.
/// </summary>
public sealed record ManifestReadResult(IReadOnlyList<ManifestDocument> Documents, IReadOnlyList<ManifestReadError> Errors);
