namespace Consent.Core.Members;

/// <summary>What erasing an account did: the records unlinked from the member and the erasure record appended.</summary>
public sealed record MemberErasure(int UnlinkedRecords, Guid ErasureRecordId);
