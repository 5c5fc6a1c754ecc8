using Consent.Core.Persistence;
using Consent.Core.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Support;

/// <summary>Rights requests for tests, inserted straight into the register as a verified request stands there.</summary>
public static class TestRequests
{
    /// <summary>
    /// Adds a request received <paramref name="receivedDaysAgo"/> days before the clock of <paramref name="services"/> (Open, with its due
    /// dates from the real <see cref="RequestDeadlines"/>), or awaiting verification when <paramref name="status"/> says so; returns it.
    /// </summary>
    public static async Task<RightsRequest> AddRequestAsync(this IServiceProvider services, string reference, int receivedDaysAgo = 0,
        RequestType type = RequestType.Access, RequestStatus status = RequestStatus.Open, string email = "requester@example.org",
        string? name = null, Action<RightsRequest>? with = null)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var deadlines = services.GetRequiredService<RequestDeadlines>();
        var received = now.AddDays(-receivedDaysAgo);
        var verified = status != RequestStatus.AwaitingVerification;
        var request = new RightsRequest
        {
            Reference = reference,
            Type = type,
            Status = status,
            Email = email,
            Name = name,
            Language = "en",
            Details = "Please tell me what you hold about me.",
            FiledAt = received.AddMinutes(-10),
            CodesSent = 1,
            ReceivedAt = verified ? received : null,
            FirstDueOn = verified ? deadlines.DueOn(received) : null,
            DueOn = verified ? deadlines.DueOn(received) : null,
            ClosedAt = RequestVocabulary.IsClosed(status) ? now : null,
        };
        with?.Invoke(request);
        await using var db = await services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        db.RightsRequests.Add(request);
        await db.SaveChangesAsync();
        return request;
    }
}
