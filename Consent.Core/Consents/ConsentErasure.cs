namespace Consent.Core.Consents;

/// <summary>
/// What erasing a visitor's history did: how many of their records were unlinked from them, and the erasure record appended to the
/// log for it; none when nothing was linked to them any more (an erasure repeated), since then nothing was done.
/// </summary>
public sealed record ConsentErasure(int Unlinked, Guid? ErasureRecordId);
