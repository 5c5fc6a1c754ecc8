namespace Consent.Core.Requests;

/// <summary>Settings of section "Consent:Requests": how rights requests are checked, counted and reminded.</summary>
public sealed class RequestOptions
{
    public const string Section = "Requests";

    /// <summary>The controller's time zone (IANA id): the day a request is received and the day it is due are that zone's days.</summary>
    public string TimeZone { get; set; } = "Europe/Paris";

    /// <summary>Public holidays (yyyy-MM-dd): a period that would end on one ends on the next working day, as on a Saturday or Sunday.</summary>
    public List<DateOnly> PublicHolidays { get; set; } = [];

    /// <summary>How long the e-mail code and link stay valid.</summary>
    public int CodeMinutes { get; set; } = 60;

    /// <summary>Wrong codes allowed before the request must ask for a new code.</summary>
    public int CodeAttempts { get; set; } = 5;

    /// <summary>Codes a request may be sent in all (the first included).</summary>
    public int CodesPerRequest { get; set; } = 3;

    /// <summary>A request never verified is deleted this many days after it was filed.</summary>
    public int UnverifiedDays { get; set; } = 7;

    /// <summary>
    /// A closed request (answered, refused, withdrawn) is deleted, with its history and files, this many years after it closed: the
    /// register proves how a request was handled for as long as the handling can be challenged (5 years, French civil limitation).
    /// </summary>
    public int ClosedRetentionYears { get; set; } = 5;

    /// <summary>How long the link to an attached file opens it.</summary>
    public int FileLinkDays { get; set; } = 14;

    /// <summary>A pending request due within this many days is "due soon" (highlighted, counted, reminded).</summary>
    public int DueSoonDays { get; set; } = 7;

    /// <summary>The hour of the controller's day after which the daily reminder is sent.</summary>
    public int ReminderHour { get; set; } = 8;

    /// <summary>False: this instance sends no reminder and purges nothing (another instance does).</summary>
    public bool RemindersEnabled { get; set; } = true;
}
