using Consent.Core.Audit;
using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Members;
using Consent.Core.Policies;
using Consent.Core.Requests;
using Consent.Core.Statistics;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Persistence;

/// <summary>
/// One database for the catalogue, the consent log, statistics, the privacy team's accounts (ASP.NET Core Identity), the community's members,
/// their rights requests and the keys every instance shares. One subclass per engine (<see cref="SqliteConsentDbContext"/>,
/// <see cref="PostgresConsentDbContext"/>) carries that engine's migrations and column types.
/// </summary>
public abstract class ConsentDbContext(DbContextOptions options) : IdentityDbContext<IdentityUser>(options), IDataProtectionKeyContext
{
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<Supplier> Suppliers => Set<Supplier>();
    public DbSet<CookieDefinition> Cookies => Set<CookieDefinition>();
    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();
    public DbSet<ConsentRecord> ConsentRecords => Set<ConsentRecord>();
    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ConsentSettings> ConsentSettings => Set<ConsentSettings>();
    public DbSet<DecisionRollup> DecisionRollups => Set<DecisionRollup>();
    public DbSet<CategoryRollup> CategoryRollups => Set<CategoryRollup>();
    public DbSet<BannerViewRollup> BannerViewRollups => Set<BannerViewRollup>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<LogHead> LogHead => Set<LogHead>();
    public DbSet<LogNode> LogNodes => Set<LogNode>();
    public DbSet<LogCheckpoint> LogCheckpoints => Set<LogCheckpoint>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<MemberVisitor> MemberVisitors => Set<MemberVisitor>();
    public DbSet<RightsRequest> RightsRequests => Set<RightsRequest>();
    public DbSet<RequestEvent> RequestEvents => Set<RequestEvent>();
    public DbSet<RequestFile> RequestFiles => Set<RequestFile>();
    public DbSet<RequestReminder> RequestReminders => Set<RequestReminder>();

    /// <summary>The engine this context talks to.</summary>
    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ConsentDbContext).Assembly);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseChangesToConsentRecords();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseChangesToConsentRecords();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Consent records (their decisions inside them) are proof: appended, never changed or removed; the database refuses it too.</summary>
    private void RefuseChangesToConsentRecords()
    {
        var changed = ChangeTracker.Entries()
            .Where(e => e.Entity is ConsentRecord && e.State is EntityState.Modified or EntityState.Deleted)
            .ToList();
        if (changed.Count > 0)
        {
            throw new InvalidOperationException("Consent records are append-only: record a new decision instead of changing or deleting one.");
        }
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("The audit trail is append-only: its entries are never changed or deleted.");
        }
    }
}
