namespace Consent.Core.Members;

/// <summary>A change refused because the member restricted processing: the account is frozen until they lift it.</summary>
public sealed class MemberRestrictedException() : Exception("Processing of this account is restricted: it is frozen until the member lifts the restriction.");
