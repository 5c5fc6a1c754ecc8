using Consent.Core.Consents;
using Consent.Core.Members;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Support;

/// <summary>Members for tests, inserted straight into the Members table, and their e-mail choices through the real preferences.</summary>
public static class TestMembers
{
    /// <summary>Adds a member (e-mail confirmed unless told otherwise) with the time of <paramref name="services"/>' clock; returns it.</summary>
    public static async Task<Member> AddMemberAsync(this IServiceProvider services, string userName, string email, bool confirmed = true,
        string? company = null, string language = "en", Action<Member>? with = null)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var member = new Member
        {
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            EmailConfirmed = confirmed,
            Company = company,
            Language = language,
            SubjectId = ConsentCookie.NewVisitorId(),
            CreatedAt = now,
            LastContactAt = now,
        };
        with?.Invoke(member);
        await using var db = await services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        db.Members.Add(member);
        await db.SaveChangesAsync();
        return member;
    }

    /// <summary>The member's choice on their privacy page: these purposes opted in, the others refused.</summary>
    public static Task<ConsentRecord?> OptInAsync(this IServiceProvider services, Member member, params string[] purposes) =>
        services.GetRequiredService<CommunicationPreferences>().SetAsync(member, purposes, ConsentSource.MemberPrivacy, member.Language, "Firefox");
}
