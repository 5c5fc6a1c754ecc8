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
    /// <param name="db">The context, in its transaction.</param>
    /// <param name="rows">The rows, in the order they are written.</param>
    /// <param name="rowsPerStatement">Rows per statement instead of <see cref="RowsPerStatement"/> (bench/write-batch compares), at most the parameter limit.</param>
    public static async Task InsertAsync<T>(ConsentDbContext db, IReadOnlyList<T> rows, int? rowsPerStatement = null) where T : class
    {
        var table = TableOf<T>(db);
        foreach (var chunk in rows.Chunk(Math.Min(rowsPerStatement ?? table.RowsPerStatement, table.MaxRowsPerStatement)))
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
            var stored = new HashSet<object>(SameValue);
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                while (await reader.ReadAsync(CancellationToken.None)) stored.Add(reader.GetValue(0));
            }
            inserted.AddRange(chunk.Where(r => stored.Contains(table.KeyValue(r))));
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
        (a, b) => a is byte[] x && b is byte[] y ? x.AsSpan().SequenceEqual(y) : Equals(a, b), HashOf);

    private static int HashOf(object value)
    {
        if (value is not byte[] bytes) return value.GetHashCode();
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }

    /// <summary>How many values one statement may bind: SQLite's SQLITE_MAX_VARIABLE_NUMBER, PostgreSQL's protocol limit.</summary>
    public static int MaxParameters(DatabaseProvider provider) => provider == DatabaseProvider.Postgres ? 65_535 : 32_766;

    /// <summary>
    /// Rows per statement: on SQLite fewer than its limit allows, because Microsoft.Data.Sqlite binds every parameter by
    /// name and SQLite finds a name by walking the statement's list, so a statement's cost grows with the square of its
    /// parameters (bench/write-batch: one 512-row statement took 5.5 times as long as 16 statements of 32 rows).
    /// </summary>
    public static int RowsPerStatement(DatabaseProvider provider) => provider == DatabaseProvider.Postgres ? int.MaxValue : SqliteRows;

    private const int SqliteRows = 32;

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
        public int MaxRowsPerStatement => MaxParameters(Provider) / Columns.Length;

        public int RowsPerStatement => Math.Min(MaxRowsPerStatement, BatchStatements.RowsPerStatement(Provider));

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
