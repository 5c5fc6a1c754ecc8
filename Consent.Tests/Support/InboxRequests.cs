using Consent.Core.Persistence;
using Consent.Core.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Support;

/// <summary>Rights requests put straight into the register (verified, with their due dates from the real <see cref="RequestDeadlines"/>), as the inbox finds them.</summary>
public static class InboxRequests
{
    /// <summary>An open request received now (by <paramref name="services"/>' clock) from ada@example.org; <paramref name="with"/> changes it before it is stored.</summary>
    public static async Task<RightsRequest> AddOpenRequestAsync(this IServiceProvider services, RequestType type, string language = "en",
        string? name = "Ada Lovelace", Action<RightsRequest>? with = null)
    {
        var deadlines = services.GetRequiredService<RequestDeadlines>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var due = deadlines.DueOn(now);
        var request = new RightsRequest
        {
            Reference = $"R-{Guid.NewGuid():N}"[..10].ToUpperInvariant(),
            Type = type,
            Status = RequestStatus.Open,
            Email = "ada@example.org",
            Name = name,
            Language = language,
            Details = "Please send me what you hold about me.",
            FiledAt = now,
            ReceivedAt = now,
            FirstDueOn = due,
            DueOn = due,
        };
        with?.Invoke(request);
        await using var db = await services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        db.RightsRequests.Add(request);
        await db.SaveChangesAsync();
        return request;
    }

    /// <summary>The request as stored now, with its history oldest first.</summary>
    public static async Task<(RightsRequest Request, List<RequestEvent> Events)> StoredRequestAsync(this IServiceProvider services, string reference)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        var request = await db.RightsRequests.AsNoTracking().SingleAsync(r => r.Reference == reference);
        var events = await db.RequestEvents.AsNoTracking().Where(e => e.RequestId == request.Id).OrderBy(e => e.Id).ToListAsync();
        return (request, events);
    }
}
