namespace Kollect.Operator.Collect;

/// <summary>Why a target collects or does not (SPEC §2.4, §3); becomes the reason of its <c>Ready</c> condition.</summary>
public enum TargetCollectionState
{
    /// <summary>The profile resolved and the spec compiled; rows follow the watched objects.</summary>
    Collecting,

    /// <summary>The referenced KollectProfile does not exist (yet); the target has no rows.</summary>
    ProfileNotFound,

    /// <summary>The target or its profile cannot be compiled (bad path, selector or matchPolicy); no rows.</summary>
    InvalidSpec,

    /// <summary><c>spec.suspend</c> is true: the last rows are kept and no longer updated.</summary>
    Suspended,
}
