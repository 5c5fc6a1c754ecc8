namespace Consent.Core.Log.Receipts;

/// <summary>The controller as a receipt names it (Kantara v1.1 <c>piiControllers</c>).</summary>
public sealed record ReceiptController(string PiiController, string Contact, string Address, string? Email);
