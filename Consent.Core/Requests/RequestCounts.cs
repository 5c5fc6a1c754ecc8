namespace Consent.Core.Requests;

/// <summary>The dashboard's figures: pending requests, those due within <see cref="RequestOptions.DueSoonDays"/>, and those overdue.</summary>
public sealed record RequestCounts(int Pending, int DueSoon, int Overdue);
