namespace Consent.App.Endpoints;

/// <summary>That the tree of <see cref="From"/> leaves is a prefix of the tree of <see cref="To"/> (RFC 9162 consistency proof, in base64).</summary>
public sealed record ConsistencyProofResponse(long From, long To, IReadOnlyList<byte[]> Proof);
