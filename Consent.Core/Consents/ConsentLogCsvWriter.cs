using System.Data.Common;
using System.Globalization;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Consent.Core.Consents;

/// <summary>
/// Turns the rows of a data reader over the consent log (the columns of <see cref="ConsentLog.CsvColumns"/>, by name) into CSV
/// lines in a buffer of its own, handed to the writer in large pieces. The stored values go through the model's own converters,
/// so a row reads as EF Core would read it; each distinct decisions text is split, sorted and quoted once per export.
/// </summary>
internal sealed class ConsentLogCsvWriter
{
    private const int Capacity = 64 * 1024;
    private const string UtcFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private readonly TextWriter output;
    private readonly string newLine;
    private readonly Func<DbDataReader, Guid> id;
    private readonly Func<DbDataReader, string?> visitorId;
    private readonly Func<DbDataReader, DateTime> recordedAt;
    private readonly Func<DbDataReader, DateTime> expiresAt;
    private readonly Func<DbDataReader, int> policyVersion;
    private readonly Func<DbDataReader, ConsentMethod> method;
    private readonly Func<DbDataReader, ConsentSource> source;
    private readonly int decisionsOrdinal, languageOrdinal, browserOrdinal, siteOrdinal;
    private readonly Func<string, List<ConsentDecision>> readDecisions;
    private readonly Dictionary<string, string> grantedAndDenied = new(StringComparer.Ordinal);
    private readonly Dictionary<ConsentMethod, string> methodNames = [];
    private readonly Dictionary<ConsentSource, string> sourceNames = [];
    private char[] buffer = new char[Capacity];
    private int used;

    public ConsentLogCsvWriter(ConsentDbContext db, DbDataReader reader, TextWriter output)
    {
        this.output = output;
        newLine = output.NewLine;
        var entity = db.Model.FindEntityType(typeof(ConsentRecord))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        IProperty Property(string name) => entity.FindProperty(name)!;
        int Ordinal(string name) => reader.GetOrdinal(Property(name).GetColumnName(table)!);
        Func<DbDataReader, T> Column<T>(string name)
        {
            var ordinal = Ordinal(name);
            var converter = Property(name).GetTypeMapping().Converter;
            return converter is null ? r => r.GetFieldValue<T>(ordinal) : Converted<T>(converter, ordinal);
        }

        id = Column<Guid>(nameof(ConsentRecord.Id));
        var visitorOrdinal = Ordinal(nameof(ConsentRecord.VisitorId));
        // Null once erased: the field is left empty.
        var readVisitorId = Column<string>(nameof(ConsentRecord.VisitorId));
        visitorId = r => r.IsDBNull(visitorOrdinal) ? null : readVisitorId(r);
        recordedAt = Column<DateTime>(nameof(ConsentRecord.RecordedAt));
        expiresAt = Column<DateTime>(nameof(ConsentRecord.ExpiresAt));
        policyVersion = Column<int>(nameof(ConsentRecord.PolicyVersion));
        method = Column<ConsentMethod>(nameof(ConsentRecord.Method));
        source = Column<ConsentSource>(nameof(ConsentRecord.Source));
        decisionsOrdinal = Ordinal(nameof(ConsentRecord.Decisions));
        languageOrdinal = Ordinal(nameof(ConsentRecord.Language));
        browserOrdinal = Ordinal(nameof(ConsentRecord.BrowserFamily));
        siteOrdinal = Ordinal(nameof(ConsentRecord.Site));
        var decisions = Property(nameof(ConsentRecord.Decisions)).GetTypeMapping().Converter!;
        readDecisions = text => (List<ConsentDecision>)decisions.ConvertFromProvider(text)!;
    }

    /// <summary>Whether the buffer should go to the writer before the next row.</summary>
    public bool IsFull => used > Capacity - 1024;

    /// <summary>Adds the reader's current row as one line.</summary>
    public void AppendRow(DbDataReader reader)
    {
        Append(id(reader), "D");
        Append(',');
        Append(visitorId(reader) ?? "");
        Append(',');
        Append(DateTime.SpecifyKind(recordedAt(reader), DateTimeKind.Utc), UtcFormat);
        Append(',');
        Append(DateTime.SpecifyKind(expiresAt(reader), DateTimeKind.Utc), UtcFormat);
        Append(',');
        Append(policyVersion(reader), null);
        Append(',');
        Append(Name(methodNames, method(reader)));
        Append(',');
        Append(Name(sourceNames, source(reader)));
        Append(',');
        Append(GrantedAndDenied(reader.GetString(decisionsOrdinal)));
        Append(',');
        Append(ConsentLog.Csv(reader.GetString(languageOrdinal)));
        Append(',');
        Append(ConsentLog.Csv(reader.GetString(browserOrdinal)));
        Append(',');
        Append(ConsentLog.Csv(reader.IsDBNull(siteOrdinal) ? "" : reader.GetString(siteOrdinal)));
        Append(newLine);
    }

    /// <summary>Hands the buffered lines to the writer.</summary>
    public async Task WriteAsync(CancellationToken ct)
    {
        await output.WriteAsync(buffer.AsMemory(0, used), ct);
        used = 0;
    }

    private static Func<DbDataReader, T> Converted<T>(ValueConverter converter, int ordinal)
    {
        // Typed once per export, so a row costs no boxing: reads the stored type, then converts as EF Core does.
        var typed = typeof(ConsentLogCsvWriter).GetMethod(nameof(Typed), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(converter.ModelClrType, converter.ProviderClrType);
        return (Func<DbDataReader, T>)typed.Invoke(null, [converter, ordinal])!;
    }

    private static Func<DbDataReader, TModel> Typed<TModel, TProvider>(ValueConverter<TModel, TProvider> converter, int ordinal)
    {
        var fromProvider = converter.ConvertFromProviderExpression.Compile();
        return r => fromProvider(r.GetFieldValue<TProvider>(ordinal));
    }

    private static string Name<T>(Dictionary<T, string> names, T value) where T : struct, Enum
    {
        if (!names.TryGetValue(value, out var name)) names[value] = name = value.ToString();
        return name;
    }

    /// <summary>The granted and the denied keys, each sorted and space-separated, as two CSV fields.</summary>
    private string GrantedAndDenied(string stored)
    {
        if (grantedAndDenied.TryGetValue(stored, out var fields)) return fields;
        var decisions = readDecisions(stored);
        string Keys(bool granted) => ConsentLog.Csv(string.Join(' ', decisions.Where(d => d.Granted == granted).Select(d => d.CategoryKey).Order(StringComparer.Ordinal)));
        fields = Keys(true) + "," + Keys(false);
        // A log holds a handful of combinations; a bound keeps an odd one from growing the cache without end.
        if (grantedAndDenied.Count < 4096) grantedAndDenied[stored] = fields;
        return fields;
    }

    private void Append(char c)
    {
        Reserve(1);
        buffer[used++] = c;
    }

    private void Append(string text)
    {
        Reserve(text.Length);
        text.CopyTo(buffer.AsSpan(used));
        used += text.Length;
    }

    private void Append<T>(T value, string? format) where T : ISpanFormattable
    {
        int written;
        while (!value.TryFormat(buffer.AsSpan(used), out written, format, CultureInfo.InvariantCulture)) Reserve(buffer.Length - used + 64);
        used += written;
    }

    private void Reserve(int length)
    {
        if (used + length > buffer.Length) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, used + length));
    }
}
