using Microsoft.Extensions.Options;

namespace Consent.Core.Requests;

/// <summary>
/// The month of GDPR Art. 12(3), counted as Regulation (EEC, Euratom) No 1182/71 counts periods (and the EDPB's guidelines 01/2022 apply
/// it): the day of receipt is not counted, a month ends on the same date of the next month, or on its last day when it has no such date
/// (31 January → 28 or 29 February), and a period ending on a Saturday, a Sunday or a public holiday ends on the next working day. Days
/// are the controller's (<see cref="RequestOptions.TimeZone"/>). An extension adds its months to the receipt day the same way.
/// </summary>
public sealed class RequestDeadlines(IOptions<RequestOptions> options, TimeProvider time)
{
    private readonly TimeZoneInfo zone = TryFindZone(options.Value.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
    private readonly HashSet<DateOnly> holidays = [.. options.Value.PublicHolidays];

    public const int MaxExtensionMonths = 2;

    /// <summary>The controller's day of an instant.</summary>
    public DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));

    public DateOnly Today => DayOf(time.GetUtcNow().UtcDateTime);

    /// <summary>The hour (0–23) of an instant on the controller's clock.</summary>
    public int HourOf(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).Hour;

    /// <summary>The last day to answer a request received at <paramref name="receivedUtc"/>, <paramref name="months"/> months on.</summary>
    public DateOnly DueOn(DateTime receivedUtc, int months = 1)
    {
        var due = DayOf(receivedUtc).AddMonths(months);
        while (due.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || holidays.Contains(due)) due = due.AddDays(1);
        return due;
    }

    /// <summary>Whether the first month still runs: an extension must be told to the requester within it.</summary>
    public bool CanExtend(DateOnly firstDueOn) => Today <= firstDueOn;

    public bool IsOverdue(DateOnly dueOn) => Today > dueOn;

    /// <summary>Due today or within <see cref="RequestOptions.DueSoonDays"/> days, and not overdue.</summary>
    public bool IsDueSoon(DateOnly dueOn) => !IsOverdue(dueOn) && dueOn <= Today.AddDays(options.Value.DueSoonDays);

    /// <summary>Days left until the due day ends (0 on the day itself), negative once overdue.</summary>
    public int DaysLeft(DateOnly dueOn) => dueOn.DayNumber - Today.DayNumber;

    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id)) return false;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }
}
