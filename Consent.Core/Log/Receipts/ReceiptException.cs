namespace Consent.Core.Log.Receipts;

/// <summary>A receipt that does not read or does not verify; the message says what failed, in words a visitor can follow.</summary>
public sealed class ReceiptException(string message) : Exception(message);
