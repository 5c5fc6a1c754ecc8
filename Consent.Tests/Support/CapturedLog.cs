using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Consent.Tests.Support;

/// <summary>One line the app logged, with everything a log store would keep of it.</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, EventId EventId, string Message, string Text);

/// <summary>
/// A logging provider that keeps every message the app logs, at every level, with its structured values, scopes and
/// exception, so a test can read what an operator's log store would hold (<see cref="ConsentAppFactory.Log"/>).
/// </summary>
public sealed class CapturedLog : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLogEntry> entries = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLogEntry> Entries => [.. entries];

    /// <summary>Everything logged, one entry a line, for a search and for a failing test's message.</summary>
    public string AllText => string.Join("\n", entries.Select(e => e.Text));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => log.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            var text = new List<string> { $"{logLevel} {category}[{eventId.Id}:{eventId.Name}] {message}" };
            if (state is IEnumerable<KeyValuePair<string, object?>> values) text.AddRange(values.Select(v => $"{v.Key}={v.Value}"));
            log.scopes.ForEachScope((scope, lines) => lines.Add($"scope: {scope}"), text);
            if (exception is not null) text.Add(exception.ToString());
            log.entries.Enqueue(new CapturedLogEntry(category, logLevel, eventId, message, string.Join(" | ", text)));
        }
    }
}
