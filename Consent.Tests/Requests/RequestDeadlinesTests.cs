using Consent.Core.Requests;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Consent.Tests.Requests;

/// <summary>
/// The month of GDPR Art. 12(3) as Regulation 1182/71 counts it, in Europe/Paris days: the receipt day is not counted, the month ends on the
/// same date of the next month or on that month's last day, and a Saturday, Sunday or public holiday moves it to the next working day.
/// </summary>
public sealed class RequestDeadlinesTests
{
    private static DateTime Utc(int year, int month, int day, int hour = 9, int minute = 0) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    private static (RequestDeadlines Deadlines, FakeTimeProvider Time) Deadlines(params DateOnly[] holidays)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 9, 0, 0, TimeSpan.Zero));
        var options = new RequestOptions { PublicHolidays = [.. holidays] };
        return (new RequestDeadlines(Options.Create(options), time), time);
    }

    [Fact]
    public void A_request_received_on_31_January_2027_is_due_on_Monday_1_March_as_28_February_is_a_Sunday()
    {
        var (deadlines, _) = Deadlines();

        var due = deadlines.DueOn(Utc(2027, 1, 31));

        Assert.Equal(new DateOnly(2027, 3, 1), due);
        Assert.Equal(DayOfWeek.Sunday, new DateOnly(2027, 2, 28).DayOfWeek);
        Assert.Equal(DayOfWeek.Monday, due.DayOfWeek);
    }

    [Fact]
    public void A_request_received_on_31_January_2028_is_due_on_Tuesday_29_February_the_last_day_of_the_leap_month()
    {
        var (deadlines, _) = Deadlines();

        var due = deadlines.DueOn(Utc(2028, 1, 31));

        Assert.Equal(new DateOnly(2028, 2, 29), due);
        Assert.Equal(DayOfWeek.Tuesday, due.DayOfWeek);
    }

    [Fact]
    public void The_day_of_receipt_is_the_Paris_day_so_23_30_UTC_on_31_January_is_1_February()
    {
        var (deadlines, _) = Deadlines();

        var day = deadlines.DayOf(Utc(2028, 1, 31, 23, 30));
        var due = deadlines.DueOn(Utc(2028, 1, 31, 23, 30));
        var dueOfTheHourBefore = deadlines.DueOn(Utc(2028, 1, 31, 22, 59));

        Assert.Equal(new DateOnly(2028, 2, 1), day);
        Assert.Equal(new DateOnly(2028, 3, 1), due);
        Assert.Equal(new DateOnly(2028, 2, 29), dueOfTheHourBefore);
    }

    [Fact]
    public void A_public_holiday_on_the_due_day_moves_it_to_the_next_working_day()
    {
        var (deadlines, _) = Deadlines(new DateOnly(2027, 3, 1));

        var due = deadlines.DueOn(Utc(2027, 1, 31));

        Assert.Equal(new DateOnly(2027, 3, 2), due);
    }

    [Fact]
    public void A_holiday_on_a_day_that_is_not_the_due_day_changes_nothing()
    {
        var (deadlines, _) = Deadlines(new DateOnly(2027, 2, 26), new DateOnly(2027, 3, 2));

        Assert.Equal(new DateOnly(2027, 3, 1), deadlines.DueOn(Utc(2027, 1, 31)));
    }

    [Fact]
    public void An_extension_counts_its_months_from_the_receipt_day_and_moves_off_a_weekend_too()
    {
        var (deadlines, _) = Deadlines();

        Assert.Equal(new DateOnly(2027, 3, 31), deadlines.DueOn(Utc(2027, 1, 31), 2));
        // 30 April 2027 is a Friday; 30 May 2027 a Sunday.
        Assert.Equal(new DateOnly(2027, 4, 30), deadlines.DueOn(Utc(2027, 1, 31), 3));
        Assert.Equal(new DateOnly(2027, 5, 31), deadlines.DueOn(Utc(2027, 4, 30), 1));
    }

    [Fact]
    public void An_extension_may_be_told_until_the_end_of_the_first_month_on_day_30_and_not_on_day_32()
    {
        var (deadlines, time) = Deadlines();
        var firstDueOn = deadlines.DueOn(Utc(2027, 1, 31));

        time.SetUtcNow(new DateTimeOffset(2027, 3, 1, 22, 59, 0, TimeSpan.Zero));
        var lastMinuteOfDay30 = deadlines.CanExtend(firstDueOn);
        time.SetUtcNow(new DateTimeOffset(2027, 3, 1, 23, 0, 0, TimeSpan.Zero));
        var day31InParis = deadlines.CanExtend(firstDueOn);
        time.SetUtcNow(new DateTimeOffset(2027, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var day32 = deadlines.CanExtend(firstDueOn);

        Assert.True(lastMinuteOfDay30);
        Assert.False(day31InParis);
        Assert.False(day32);
    }

    [Fact]
    public void Due_soon_and_overdue_are_counted_in_Paris_days()
    {
        var (deadlines, time) = Deadlines();
        var due = new DateOnly(2027, 3, 1);

        time.SetUtcNow(new DateTimeOffset(2027, 2, 20, 23, 30, 0, TimeSpan.Zero));
        var soonAtEight = deadlines.IsDueSoon(due);
        time.SetUtcNow(new DateTimeOffset(2027, 2, 21, 23, 30, 0, TimeSpan.Zero));
        var (soonAtSeven, leftAtSeven) = (deadlines.IsDueSoon(due), deadlines.DaysLeft(due));
        time.SetUtcNow(new DateTimeOffset(2027, 3, 1, 22, 0, 0, TimeSpan.Zero));
        var overdueOnTheDay = deadlines.IsOverdue(due);
        time.SetUtcNow(new DateTimeOffset(2027, 3, 1, 23, 0, 0, TimeSpan.Zero));
        var (overdueNextDay, leftNextDay) = (deadlines.IsOverdue(due), deadlines.DaysLeft(due));

        Assert.True(soonAtSeven);
        Assert.Equal(7, leftAtSeven);
        Assert.False(soonAtEight);
        Assert.False(overdueOnTheDay);
        Assert.True(overdueNextDay);
        Assert.Equal(-1, leftNextDay);
    }
}
