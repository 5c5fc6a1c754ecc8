using Consent.Core.Audit;
using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Members;
using Consent.Core.Policies;
using Consent.Core.Requests;
using Consent.Core.Statistics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consent.Core.Persistence;

internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> b)
    {
        b.HasIndex(c => c.Key).IsUnique();
        b.Property(c => c.Key).HasMaxLength(CategoryInputValidator.MaxKey);
        b.Property(c => c.Name).HasMaxLength(CategoryInputValidator.MaxName);
        b.Property(c => c.Description).HasMaxLength(CategoryInputValidator.MaxDescription);
        // A JSON array on SQLite, a text[] on PostgreSQL.
        b.PrimitiveCollection(c => c.GoogleConsentTypes);
    }
}

internal sealed class SupplierConfiguration : IEntityTypeConfiguration<Supplier>
{
    public void Configure(EntityTypeBuilder<Supplier> b)
    {
        b.HasIndex(s => s.Name).IsUnique();
        b.Property(s => s.Name).HasMaxLength(CookieInputValidator.MaxSupplierName);
    }
}

internal sealed class CookieDefinitionConfiguration : IEntityTypeConfiguration<CookieDefinition>
{
    public void Configure(EntityTypeBuilder<CookieDefinition> b)
    {
        b.ToTable("Cookies");
        b.HasIndex(c => new { c.SupplierId, c.Name }).IsUnique();
        b.Property(c => c.Name).HasMaxLength(CookieInputValidator.MaxCookieName);
        b.Property(c => c.Function).HasMaxLength(CookieInputValidator.MaxFunction);
        b.HasOne(c => c.Category).WithMany(c => c.Cookies).HasForeignKey(c => c.CategoryId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(c => c.Supplier).WithMany(s => s.Cookies).HasForeignKey(c => c.SupplierId).OnDelete(DeleteBehavior.Restrict);
        b.ComplexProperty(c => c.Duration, d =>
        {
            d.Property(x => x.Kind).HasColumnName("DurationKind").HasConversion<string>().HasMaxLength(20);
            d.Property(x => x.Amount).HasColumnName("DurationAmount");
            d.Property(x => x.Unit).HasColumnName("DurationUnit").HasConversion<string>().HasMaxLength(20);
            d.Property(x => x.Text).HasColumnName("DurationText").HasMaxLength(CookieDuration.MaxText);
        });
    }
}

internal sealed class PolicyVersionConfiguration : IEntityTypeConfiguration<PolicyVersion>
{
    public void Configure(EntityTypeBuilder<PolicyVersion> b)
    {
        b.HasKey(p => p.Number);
        b.Property(p => p.Number).ValueGeneratedNever();
        b.Property(p => p.Summary).HasMaxLength(4000);
        b.Property(p => p.PublishedBy).HasMaxLength(256);
        b.PrimitiveCollection(p => p.ChangedCategories);
        b.Property(p => p.ContentHash).HasMaxLength(32);
    }
}

internal sealed class ConsentSettingsConfiguration : IEntityTypeConfiguration<ConsentSettings>
{
    public void Configure(EntityTypeBuilder<ConsentSettings> b)
    {
        b.ToTable("Settings");
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.UpdatedBy).HasMaxLength(256);
        b.Property(s => s.GoogleConsentMode).HasConversion<string>().HasMaxLength(20);
    }
}

internal sealed class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> b)
    {
        // Compact, since the log grows by every choice of every visitor: the ids as 16 bytes, method and source
        // as numbers, and the decisions inside the record as one short text instead of a row per category.
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.VisitorId!).HasConversion(StoredAs.VisitorIdBytes);
        b.Property(r => r.Language).HasMaxLength(8);
        b.Property(r => r.BrowserFamily).HasMaxLength(20);
        b.Property(r => r.Site).HasMaxLength(ConsentOptions.MaxSiteId);
        b.Property(r => r.Decisions).HasConversion(StoredAs.DecisionsText, StoredAs.DecisionsComparer);
        b.HasIndex(r => new { r.VisitorId, r.RecordedAt });
        b.HasIndex(r => r.RecordedAt);
        b.Property(r => r.VisitorSalt).HasMaxLength(VisitorCommitment.SaltSize);
        b.Property(r => r.VisitorCommitment).HasMaxLength(MerkleTree.HashSize);
        b.Property(r => r.LeafHash).HasMaxLength(MerkleTree.HashSize);
        // One leaf per position: a second record claiming a position is refused, on either engine.
        b.HasIndex(r => r.LogIndex).IsUnique();
    }
}

internal sealed class LogHeadConfiguration : IEntityTypeConfiguration<LogHead>
{
    public void Configure(EntityTypeBuilder<LogHead> b)
    {
        b.ToTable("LogHead");
        b.Property(h => h.Id).ValueGeneratedNever();
        b.HasData(new LogHead { Id = LogHead.SingleId, Size = 0, Frontier = [], UpdatedAt = DateTime.UnixEpoch });
    }
}

internal sealed class LogNodeConfiguration : IEntityTypeConfiguration<LogNode>
{
    public void Configure(EntityTypeBuilder<LogNode> b)
    {
        b.ToTable("LogNodes");
        b.HasKey(n => new { n.Level, n.Index });
        b.Property(n => n.Hash).HasMaxLength(MerkleTree.HashSize);
    }
}

internal sealed class LogCheckpointConfiguration : IEntityTypeConfiguration<LogCheckpoint>
{
    public void Configure(EntityTypeBuilder<LogCheckpoint> b)
    {
        b.ToTable("LogCheckpoints");
        // One checkpoint per size: two instances signing the same tree at once store it once.
        b.HasIndex(c => c.TreeSize).IsUnique();
        b.Property(c => c.RootHash).HasMaxLength(MerkleTree.HashSize);
        b.Property(c => c.Note).HasMaxLength(4096);
        b.Property(c => c.KeyName).HasMaxLength(200);
    }
}

internal sealed class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKey>
{
    public void Configure(EntityTypeBuilder<IdempotencyKey> b)
    {
        // The primary key is what makes a second commit of the same key fail, on either engine and across instances.
        b.HasKey(k => k.KeyHash);
        b.Property(k => k.KeyHash).HasMaxLength(32);
        b.Property(k => k.RequestHash).HasMaxLength(32);
        b.HasIndex(k => k.CreatedAt);
    }
}

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> b)
    {
        b.Property(k => k.Purpose).HasMaxLength(40);
        b.Property(k => k.Name).HasMaxLength(200);
        b.Property(k => k.PublicKey).HasMaxLength(32);
        b.HasIndex(k => new { k.Purpose, k.ActivatesAt });
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(a => a.Actor).HasMaxLength(256);
        b.Property(a => a.Action).HasMaxLength(60);
        b.Property(a => a.EntityType).HasMaxLength(40);
        b.Property(a => a.EntityKey).HasMaxLength(200);
        b.HasIndex(a => a.At);
    }
}

// A rollup's columns outside its key are counts: RollupWrites' upserts add to every one of them.
internal sealed class DecisionRollupConfiguration : IEntityTypeConfiguration<DecisionRollup>
{
    public void Configure(EntityTypeBuilder<DecisionRollup> b)
    {
        b.ToTable("DecisionRollups");
        b.HasKey(r => new { r.Day, r.PolicyVersion, r.Language, r.Method, r.Source });
        b.Property(r => r.Language).HasMaxLength(8);
    }
}

internal sealed class CategoryRollupConfiguration : IEntityTypeConfiguration<CategoryRollup>
{
    public void Configure(EntityTypeBuilder<CategoryRollup> b)
    {
        b.ToTable("CategoryRollups");
        b.HasKey(r => new { r.Day, r.PolicyVersion, r.Language, r.CategoryKey });
        b.Property(r => r.Language).HasMaxLength(8);
        b.Property(r => r.CategoryKey).HasMaxLength(CategoryInputValidator.MaxKey);
    }
}

internal sealed class BannerViewRollupConfiguration : IEntityTypeConfiguration<BannerViewRollup>
{
    public void Configure(EntityTypeBuilder<BannerViewRollup> b)
    {
        b.ToTable("BannerViewRollups");
        b.HasKey(r => new { r.Day, r.PolicyVersion, r.Language });
        b.Property(r => r.Language).HasMaxLength(8);
    }
}

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> b)
    {
        b.ToTable("Members");
        b.Property(m => m.Id).HasMaxLength(36);
        b.Property(m => m.UserName).HasMaxLength(MemberLimits.UserName);
        b.Property(m => m.NormalizedUserName).HasMaxLength(MemberLimits.UserName);
        b.Property(m => m.Email).HasMaxLength(MemberLimits.Email);
        b.Property(m => m.NormalizedEmail).HasMaxLength(MemberLimits.Email);
        b.Property(m => m.SecurityStamp).HasMaxLength(64);
        b.Property(m => m.ConcurrencyStamp).HasMaxLength(64).IsConcurrencyToken();
        b.Property(m => m.PasswordHash).HasMaxLength(400);
        b.Property(m => m.Company).HasMaxLength(MemberLimits.Field);
        b.Property(m => m.JobTitle).HasMaxLength(MemberLimits.Field);
        b.Property(m => m.Country).HasMaxLength(MemberLimits.Field);
        b.Property(m => m.City).HasMaxLength(MemberLimits.Field);
        b.Property(m => m.LinkedInUrl).HasMaxLength(MemberLimits.Url);
        b.Property(m => m.Language).HasMaxLength(8);
        b.Property(m => m.SubjectId).HasMaxLength(32);
        b.Property(m => m.TrustedPersonName).HasMaxLength(MemberLimits.Field);
        b.Property(m => m.TrustedPersonContact).HasMaxLength(MemberLimits.Email);
        b.Property(m => m.DirectiveCarriedOutBy).HasMaxLength(256);
        b.HasIndex(m => m.NormalizedUserName).IsUnique();
        b.HasIndex(m => m.NormalizedEmail).IsUnique();
        b.HasIndex(m => m.SubjectId).IsUnique();
        b.HasIndex(m => m.LastContactAt);
    }
}

internal sealed class MemberVisitorConfiguration : IEntityTypeConfiguration<MemberVisitor>
{
    public void Configure(EntityTypeBuilder<MemberVisitor> b)
    {
        b.ToTable("MemberVisitors");
        b.HasKey(v => v.VisitorId);
        b.Property(v => v.VisitorId).HasMaxLength(32);
        b.Property(v => v.MemberId).HasMaxLength(36);
        b.HasIndex(v => v.MemberId);
        b.HasOne<Member>().WithMany().HasForeignKey(v => v.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RightsRequestConfiguration : IEntityTypeConfiguration<RightsRequest>
{
    public void Configure(EntityTypeBuilder<RightsRequest> b)
    {
        b.ToTable("RightsRequests");
        b.Property(r => r.Reference).HasMaxLength(RequestLimits.Reference);
        b.Property(r => r.Email).HasMaxLength(RequestLimits.Email);
        b.Property(r => r.Name).HasMaxLength(RequestLimits.Name);
        b.Property(r => r.Language).HasMaxLength(8);
        b.Property(r => r.Details).HasMaxLength(RequestLimits.Details);
        b.Property(r => r.VisitorId).HasMaxLength(32);
        b.Property(r => r.MemberId).HasMaxLength(36);
        b.Property(r => r.CodeHash).HasMaxLength(64);
        b.Property(r => r.ExtensionReason).HasMaxLength(RequestLimits.Reason);
        b.Property(r => r.AssignedTo).HasMaxLength(RequestLimits.Actor);
        b.Property(r => r.ClosingReason).HasMaxLength(RequestLimits.Reason);
        b.Property(r => r.Stamp).HasMaxLength(32).IsConcurrencyToken();
        b.HasIndex(r => r.Reference).IsUnique();
        b.HasIndex(r => new { r.Status, r.DueOn });
        b.HasIndex(r => r.FiledAt);
        b.HasIndex(r => r.MemberId);
        // The register outlives an erased account: the request stays, no longer pointing at it.
        b.HasOne<Member>().WithMany().HasForeignKey(r => r.MemberId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class RequestEventConfiguration : IEntityTypeConfiguration<RequestEvent>
{
    public void Configure(EntityTypeBuilder<RequestEvent> b)
    {
        b.ToTable("RequestEvents");
        b.Property(e => e.Actor).HasMaxLength(RequestLimits.Actor);
        b.Property(e => e.Kind).HasMaxLength(32);
        b.Property(e => e.Text).HasMaxLength(RequestLimits.Reply);
        b.HasIndex(e => e.RequestId);
        b.HasOne<RightsRequest>().WithMany().HasForeignKey(e => e.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RequestFileConfiguration : IEntityTypeConfiguration<RequestFile>
{
    public void Configure(EntityTypeBuilder<RequestFile> b)
    {
        b.ToTable("RequestFiles");
        b.Property(f => f.FileName).HasMaxLength(RequestLimits.FileName);
        b.Property(f => f.ContentType).HasMaxLength(100);
        b.Property(f => f.TokenHash).HasMaxLength(64);
        b.HasIndex(f => f.TokenHash).IsUnique();
        b.HasIndex(f => f.RequestId);
        b.HasIndex(f => f.ExpiresAt);
        b.HasOne<RightsRequest>().WithMany().HasForeignKey(f => f.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RequestReminderConfiguration : IEntityTypeConfiguration<RequestReminder>
{
    public void Configure(EntityTypeBuilder<RequestReminder> b)
    {
        b.ToTable("RequestReminders");
        b.HasKey(r => r.Day);
    }
}
