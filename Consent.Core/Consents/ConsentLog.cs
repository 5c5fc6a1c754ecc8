using Consent.Core.Audit;
using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Consents;

/// <summary>One record of the consent log as the privacy team reads it.</summary>
public sealed record ConsentLogEntry(
    Guid ConsentId,
    string? VisitorId,
    int PolicyVersion,
    ConsentMethod Method,
    ConsentSource Source,
    DateTime RecordedAt,
    DateTime ExpiresAt,
    string Language,
    string BrowserFamily,
    IReadOnlyList<string> Granted,
    IReadOnlyList<string> Denied,
    string? Site = null)
{
    public static ConsentLogEntry Of(ConsentRecord r) => new(
        r.Id, r.VisitorId, r.PolicyVersion, r.Method, r.Source, r.RecordedAt, r.ExpiresAt, r.Language, r.BrowserFamily,
        r.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).Order(StringComparer.Ordinal).ToList(),
        r.Decisions.Where(d => !d.Granted).Select(d => d.CategoryKey).Order(StringComparer.Ordinal).ToList(),
        r.Site);
}

/// <summary>
/// What a search of the log found: the visitor's whole history, newest first, and the record asked for if any; an erased record
/// (no visitor id, <see cref="VisitorId"/> null) alone.
/// </summary>
public sealed record ConsentLogResult(string? VisitorId, Guid? MatchedConsentId, IReadOnlyList<ConsentLogEntry> History);

/// <summary>
/// The consent log for the privacy team: search by consent id (the receipt a visitor quotes) or
/// visitor id, a visitor's whole append-only history, and a streamed CSV export of a date range.
/// </summary>
public sealed class ConsentLog(IDbContextFactory<ConsentDbContext> dbFactory, TimeProvider time, IValidator<ConsentLogExport> exportValidator)
{
    /// <summary>
    /// The CSV columns, in order. Decisions are listed as category keys separated by spaces. <c>site</c> (empty for the
    /// center's own pages) came last, so readers of the earlier columns by position keep working.
    /// </summary>
    public static readonly string[] CsvColumns =
        ["consent_id", "visitor_id", "recorded_at_utc", "expires_at_utc", "policy_version", "method", "source", "granted", "denied", "language", "browser_family", "site"];

    /// <summary>
    /// Finds a visitor's history from a consent id (a UUID, with or without dashes or braces) or a
    /// visitor id (32 hex digits). Returns null when nothing matches; throws <see cref="FormatException"/>
    /// with a message to show when the text is neither.
    /// </summary>
    public async Task<ConsentLogResult?> SearchAsync(string? query, CancellationToken ct = default)
    {
        var text = (query ?? "").Trim();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        string? visitorId;
        Guid? matched = null;
        if (text.Length == 32 && text.All(Uri.IsHexDigit))
        {
            visitorId = text.ToLowerInvariant();
        }
        else if (Guid.TryParse(text, out var consentId))
        {
            matched = consentId;
            var found = await db.ConsentRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Id == consentId, ct);
            if (found is null) return null;
            // An erased record points at no one any more: it is found alone.
            if (found.VisitorId is null) return new ConsentLogResult(null, consentId, [ConsentLogEntry.Of(found)]);
            visitorId = found.VisitorId;
        }
        else
        {
            throw new FormatException("Enter a consent id (such as 0193a1b2-…, as shown to the visitor) or a visitor id (32 hexadecimal digits).");
        }

        var records = await db.ConsentRecords.AsNoTracking().Where(r => r.VisitorId == visitorId).ToListAsync(ct);
        if (records.Count == 0)
        {
            // 32 hex digits are also a consent id written without dashes: try that before giving up.
            if (matched is null && Guid.TryParseExact(text, "N", out var asConsentId))
            {
                return await SearchAsync(asConsentId.ToString("D"), ct);
            }
            return null;
        }
        var history = records.OrderByDescending(r => r.RecordedAt).ThenByDescending(r => r.Id).Select(ConsentLogEntry.Of).ToList();
        return new ConsentLogResult(visitorId, matched, history);
    }

    /// <summary>
    /// Writes every record of the UTC days <paramref name="from"/> to <paramref name="to"/> (both included) as
    /// CSV, oldest first. Records are read as a stream and written as they come, so memory stays bounded
    /// whatever the range holds. The export itself is written to the audit trail first: the log holds
    /// personal data, and who took a copy of it must be known. Returns the number of records written; throws
    /// <see cref="ValidationException"/> (before writing anything) for days outside <see cref="RecordDays"/> or in the wrong order.
    /// </summary>
    public async Task<long> ExportCsvAsync(DateOnly from, DateOnly to, string actor, TextWriter output, CancellationToken ct = default)
    {
        await exportValidator.ValidateAndThrowAsync(new ConsentLogExport(from, to), ct);
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        AuditTrail.Record(db, time.GetUtcNow().UtcDateTime, actor, "consents.export", "ConsentLog", $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd}", null, new { from, to });
        await db.SaveChangesAsync(ct);

        await output.WriteLineAsync(string.Join(',', CsvColumns));
        var rows = db.ConsentRecords.AsNoTracking()
            .Where(r => r.RecordedAt >= start && r.RecordedAt < end)
            .OrderBy(r => r.RecordedAt).ThenBy(r => r.Id)
            .Select(r => new { r.Id, r.VisitorId, r.RecordedAt, r.ExpiresAt, r.PolicyVersion, r.Method, r.Source, r.Decisions, r.Language, r.BrowserFamily, r.Site });
        // Read with a bare data reader: EF Core's materializer, a list of decisions and a log entry per row cost more than the
        // CSV itself. The stored values go through the model's own converters, so the rows are the ones EF Core would read.
        await using var command = rows.CreateDbCommand();
        await db.Database.OpenConnectionAsync(ct);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var csv = new ConsentLogCsvWriter(db, reader, output);
        long count = 0;
        while (await reader.ReadAsync(ct))
        {
            csv.AppendRow(reader);
            count++;
            if (csv.IsFull) await csv.WriteAsync(ct);
        }
        await csv.WriteAsync(ct);
        await output.FlushAsync(ct);
        return count;
    }

    /// <summary>Quotes a field when CSV needs it, and defuses text a spreadsheet would run as a formula.</summary>
    public static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
