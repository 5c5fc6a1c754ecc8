namespace Consent.Fuzz;

/// <summary>One fuzz input through one reader; throws when the reader throws or breaks one of its properties.</summary>
public delegate void FuzzTarget(ReadOnlySpan<byte> input);
