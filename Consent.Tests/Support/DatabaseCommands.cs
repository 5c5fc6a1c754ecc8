using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Consent.Tests.Support;

/// <summary>
/// Every SQL command EF Core runs on one database while this is alive, heard on EF Core's own DiagnosticListener: tests of the
/// whole app in this process can say what a request read. Commands on other tests' databases are not counted.
/// </summary>
public sealed class DatabaseCommands : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string dataSource;
    private readonly IDisposable subscription;
    private readonly ConcurrentQueue<string> texts = new();
    private readonly List<IDisposable> listeners = [];

    /// <param name="dataSource">The SQLite file or the PostgreSQL database name of the app under test.</param>
    public DatabaseCommands(string dataSource)
    {
        this.dataSource = dataSource;
        subscription = DiagnosticListener.AllListeners.Subscribe(this);
    }

    /// <summary>The commands run so far, in order.</summary>
    public IReadOnlyList<string> Texts => [.. texts];

    /// <summary>The commands that read (a SELECT), as opposed to the writes of a choice.</summary>
    public IReadOnlyList<string> Reads => [.. texts.Where(t => t.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))];

    public void Clear() => texts.Clear();

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        if (listener.Name != DbLoggerCategory.Name) return;
        lock (listeners) listeners.Add(listener.Subscribe(this));
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> e)
    {
        if (e.Key != RelationalEventId.CommandExecuting.Name || e.Value is not CommandEventData data) return;
        var connection = data.Command.Connection;
        if (connection is null || !(connection.DataSource == dataSource || connection.Database == dataSource)) return;
        texts.Enqueue(data.Command.CommandText);
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    public void Dispose()
    {
        subscription.Dispose();
        lock (listeners) listeners.ForEach(l => l.Dispose());
    }
}
