namespace Consent.App.Endpoints;

/// <summary>That a consent record's leaf is in the tree of <see cref="TreeSize"/> leaves (RFC 9162 inclusion proof, hashes in base64).</summary>
public sealed record InclusionProofResponse(Guid ConsentId, long LeafIndex, long TreeSize, byte[] LeafHash, IReadOnlyList<byte[]> Path);
