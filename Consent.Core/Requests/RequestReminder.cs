namespace Consent.Core.Requests;

/// <summary>The DPO's daily reminder, one row per day sent: with several instances, the one that inserts the day's row sends it.</summary>
public sealed class RequestReminder
{
    public DateOnly Day { get; set; }
    public DateTime SentAt { get; set; }
    public int Listed { get; set; }
}
