using System.Collections;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Consent.Core.Persistence;

/// <summary>
/// Multi-row <c>INSERT … VALUES (…), (…)</c> statements for many rows of one entity, in the context's open transaction. Table,
/// columns, converters and parameter types come from the context's own model, so a row is stored exactly as SaveChanges
/// would store it, without the change tracker and with one statement per table instead of one per row.
/// Values are always parameters; a statement holds as many rows as the engine's parameter limit allows.
/// </summary>
public static class BatchStatements
{
    /// <summary>Inserts every row; a conflict fails the statement, as SaveChanges would.</summary>
    public static async Task InsertAsync<T>(ConsentDbContext db, IReadOnlyList<T> rows) where T : class
    {
        var table = TableOf<T>(db);
        foreach (var chunk in rows.Chunk(table.RowsPerStatement))
        {
            await using var command = table.Command(db, chunk, "");
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Inserts the rows whose primary key is not stored yet and returns them; the others are left as they are, without a read
    /// (<c>ON CONFLICT DO NOTHING RETURNING</c>). A key given twice in <paramref name="rows"/> is inserted once, for its first row.
    /// </summary>
    public static async Task<IReadOnlyList<T>> InsertNewAsync<T>(ConsentDbContext db, IReadOnlyList<T> rows) where T : class
    {
        var table = TableOf<T>(db);
        var key = table.SingleKey;
        var inserted = new List<T>();
        var unique = rows.DistinctBy(r => table.KeyValue(r), SameValue).ToList();
        foreach (var chunk in unique.Chunk(table.RowsPerStatement))
        {
            await using var command = table.Command(db, chunk, $" ON CONFLICT ({key.Name}) DO NOTHING RETURNING {key.Name}");
            var stored = new List<object>();
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                while (await reader.ReadAsync(CancellationToken.None)) stored.Add(reader.GetValue(0));
            }
            inserted.AddRange(chunk.Where(r => stored.Contains(table.KeyValue(r), SameValue)));
        }
        return inserted;
    }

    /// <summary>
    /// Adds each row's other columns to the stored row with its key, or inserts it (<c>ON CONFLICT … DO UPDATE SET c = c + excluded.c</c>):
    /// increments, never read-modify-write. Rows are written, and so locked, in the order given; keys must not repeat.
    /// </summary>
    public static async Task AddToAsync<T>(ConsentDbContext db, IReadOnlyList<T> rows) where T : class
    {
        var table = TableOf<T>(db);
        var keys = string.Join(", ", table.Columns.Where(c => c.IsKey).Select(c => c.Name));
        var sums = string.Join(", ", table.Columns.Where(c => !c.IsKey).Select(c => $"{c.Name} = {table.Name}.{c.Name} + excluded.{c.Name}"));
        foreach (var chunk in rows.Chunk(table.RowsPerStatement))
        {
            await using var command = table.Command(db, chunk, $" ON CONFLICT ({keys}) DO UPDATE SET {sums}");
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Equal values, byte arrays by their bytes.</summary>
    private static readonly IEqualityComparer<object> SameValue = EqualityComparer<object>.Create(
        (a, b) => StructuralComparisons.StructuralEqualityComparer.Equals(a, b), v => StructuralComparisons.StructuralEqualityComparer.GetHashCode(v));

    /// <summary>How many values one statement may bind: SQLite's SQLITE_MAX_VARIABLE_NUMBER, PostgreSQL's protocol limit.</summary>
    public static int MaxParameters(DatabaseProvider provider) => provider == DatabaseProvider.Postgres ? 65_535 : 32_766;

    private static Table TableOf<T>(ConsentDbContext db) where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var sql = db.GetService<ISqlGenerationHelper>();
        var key = entity.FindPrimaryKey()!.Properties;
        var columns = entity.GetProperties()
            .Select(p => new Column(sql.DelimitIdentifier(p.GetColumnName()), p.GetRelationalTypeMapping(), p.GetGetter(), key.Contains(p), p.IsNullable))
            .ToArray();
        return new Table(sql.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema()), columns, db.Provider);
    }

    private sealed record Column(string Name, RelationalTypeMapping Mapping, IClrPropertyGetter Getter, bool IsKey, bool IsNullable);

    private sealed record Table(string Name, Column[] Columns, DatabaseProvider Provider)
    {
        public int RowsPerStatement => MaxParameters(Provider) / Columns.Length;

        public Column SingleKey => Columns.Single(c => c.IsKey);

        /// <summary>The key as the database holds it, which is what RETURNING gives back.</summary>
        public object KeyValue(object row)
        {
            var key = SingleKey;
            var value = key.Getter.GetClrValueUsingContainingEntity(row);
            return key.Mapping.Converter?.ConvertToProvider(value) ?? value!;
        }

        public DbCommand Command(ConsentDbContext db, IReadOnlyList<object> rows, string tail)
        {
            var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var text = new StringBuilder("INSERT INTO ").Append(Name).Append(" (")
                .AppendJoin(", ", Columns.Select(c => c.Name)).Append(") VALUES ");
            var n = 0;
            for (var r = 0; r < rows.Count; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < Columns.Length; c++)
                {
                    var column = Columns[c];
                    // Npgsql binds positional $1, $2… as they are; SQLite binds names.
                    var name = Provider == DatabaseProvider.Postgres ? "" : $"@p{n}";
                    text.Append(c == 0 ? "" : ", ").Append(Provider == DatabaseProvider.Postgres ? $"${n + 1}" : name);
                    command.Parameters.Add(column.Mapping.CreateParameter(command, name,
                        column.Getter.GetClrValueUsingContainingEntity(rows[r]), column.IsNullable));
                    n++;
                }
                text.Append(')');
            }
            command.CommandText = text.Append(tail).ToString();
            return command;
        }
    }
}
