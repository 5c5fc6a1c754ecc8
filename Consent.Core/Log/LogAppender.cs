using System.Data.Common;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Consent.Core.Log;

/// <summary>
/// Appends records to the tree inside the transaction that stores them (docs/log.md, "Appending"). The leaf hashes are worked
/// out before anything is locked; then the log head's row is locked, which gives every instance's commits one order, each record
/// takes the next position, the completed subtrees worth keeping are inserted, and the head moves on. The lock ends with the
/// transaction, so a record is stored with its leaf or neither is.
/// </summary>
public static class LogAppender
{
    /// <summary>Salts and commits to each record's visitor id and hashes its leaf: no lock, no database.</summary>
    public static void PrepareLeaves(IReadOnlyList<ConsentRecord> records, Func<int, byte[]> policyHash)
    {
        foreach (var record in records)
        {
            if (record.VisitorId is { } visitorId && record.VisitorCommitment is null)
            {
                record.VisitorSalt = VisitorCommitment.NewSalt();
                record.VisitorCommitment = VisitorCommitment.Of(record.VisitorSalt, visitorId);
            }
            record.LeafHash = LogLeaf.Hash(record, policyHash(record.PolicyVersion));
        }
    }

    /// <summary>
    /// Locks the head, gives each prepared record its position, and returns the nodes to keep; call <see cref="FinishAsync"/>
    /// after the records are written, in the same transaction.
    /// </summary>
    public static async Task<Frontier> TakePositionsAsync(ConsentDbContext db, IReadOnlyList<ConsentRecord> records, List<LogNode> nodes)
    {
        var frontier = await LockHeadAsync(db);
        foreach (var record in records)
        {
            record.LogIndex = frontier.Size;
            frontier.Append(record.LeafHash ?? throw new InvalidOperationException("A record's leaf is hashed before it takes a position."),
                (level, index, hash) =>
                {
                    if (level >= LogTree.StoredFromLevel) nodes.Add(new LogNode { Level = level, Index = index, Hash = hash });
                });
        }
        return frontier;
    }

    /// <summary>Stores the completed subtrees and moves the head on to <paramref name="frontier"/>.</summary>
    public static async Task FinishAsync(ConsentDbContext db, Frontier frontier, IReadOnlyList<LogNode> nodes, DateTime now)
    {
        if (nodes.Count > 0) await BatchStatements.InsertAsync(db, nodes);
        // A statement of its own rather than EF's ExecuteUpdate: it runs in every commit, under the lock.
        await using var command = Command(db, """UPDATE "LogHead" SET "Size" = @size, "Frontier" = @frontier, "UpdatedAt" = @at WHERE "Id" = 1""");
        Add(command, "size", frontier.Size);
        Add(command, "frontier", frontier.ToBytes());
        Add(command, "at", db.Provider == DatabaseProvider.Sqlite ? UnixMicroseconds.ConvertToProvider(now)! : DateTime.SpecifyKind(now, DateTimeKind.Utc));
        if (await command.ExecuteNonQueryAsync(CancellationToken.None) != 1) throw new InvalidDataException("The log head's row is missing.");
    }

    private static readonly UnixMicrosecondsConverter UnixMicroseconds = new();

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// A write that changes nothing and reads the head back: it takes the row's lock on PostgreSQL and the database's write lock on
    /// SQLite, held until the transaction ends.
    /// </summary>
    private static async Task<Frontier> LockHeadAsync(ConsentDbContext db)
    {
        await using var command = Command(db, """UPDATE "LogHead" SET "Size" = "Size" WHERE "Id" = 1 RETURNING "Size", "Frontier" """);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        if (!await reader.ReadAsync(CancellationToken.None)) throw new InvalidDataException("The log head's row is missing.");
        return Frontier.Read(reader.GetInt64(0), (byte[])reader.GetValue(1));
    }

    private static DbCommand Command(ConsentDbContext db, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Leaves are appended inside the transaction that stores their records.");
        command.CommandText = sql;
        return command;
    }
}
