using System.Buffers;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Consent.Tests.Support;

/// <summary>
/// A real SMTP server (SmtpServer) on 127.0.0.1 and a free port, keeping every mail it receives, parsed by MimeKit.
/// With <c>username</c> and <c>password</c> it requires AUTH and accepts only those. Point the app or Core at it with <see cref="Settings"/>.
/// </summary>
public sealed class SmtpInbox : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<MimeMessage> messages = [];
    private readonly List<string> logins = [];
    private readonly List<(Func<MimeMessage, bool> Matches, TaskCompletionSource<MimeMessage> Found)> waiters = [];
    private readonly CancellationTokenSource stop = new();
    private readonly string? username;
    private readonly string? password;
    private Task running = Task.CompletedTask;

    private SmtpInbox(string? username, string? password)
    {
        this.username = username;
        this.password = password;
    }

    public int Port { get; private set; }

    public IReadOnlyList<MimeMessage> Messages
    {
        get { lock (gate) return [.. messages]; }
    }

    /// <summary>The user names that authenticated, one per session that did.</summary>
    public IReadOnlyList<string> Logins
    {
        get { lock (gate) return [.. logins]; }
    }

    /// <summary>A started inbox; with a user name and password, only a client that authenticates with them may send.</summary>
    public static async Task<SmtpInbox> StartAsync(string? username = null, string? password = null)
    {
        var inbox = new SmtpInbox(username, password);
        await inbox.ListenAsync();
        return inbox;
    }

    /// <summary>
    /// The configuration that sends the center's mail here, in full keys (for <see cref="ConsentAppFactory.Settings"/>):
    /// host, port, no TLS, and no pickup folder, which would win over the server.
    /// </summary>
    public Dictionary<string, string> Settings(string prefix = "Consent:Mail:")
    {
        var settings = new Dictionary<string, string>
        {
            [$"{prefix}Smtp:Host"] = "127.0.0.1",
            [$"{prefix}Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{prefix}Smtp:Security"] = "none",
            [$"{prefix}PickupDirectory"] = "",
        };
        if (username is not null)
        {
            settings[$"{prefix}Smtp:Username"] = username;
            settings[$"{prefix}Smtp:Password"] = password ?? "";
        }
        return settings;
    }

    /// <summary>The first mail received (before or after the call) that matches; a <see cref="TimeoutException"/> listing what came instead.</summary>
    public async Task<MimeMessage> WaitForAsync(Func<MimeMessage, bool> matches, TimeSpan timeout)
    {
        TaskCompletionSource<MimeMessage> found;
        lock (gate)
        {
            if (messages.FirstOrDefault(matches) is { } already) return already;
            found = new TaskCompletionSource<MimeMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((matches, found));
        }
        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (gate) waiters.RemoveAll(w => w.Found == found);
            throw new TimeoutException($"No matching mail within {timeout.TotalSeconds} s; received: [{string.Join("; ", Messages.Select(m => $"\"{m.Subject}\" to {m.To}"))}].");
        }
    }

    /// <summary>The first mail to <paramref name="address"/>.</summary>
    public Task<MimeMessage> WaitForMailToAsync(string address, TimeSpan? timeout = null) =>
        WaitForAsync(m => m.To.Mailboxes.Any(t => string.Equals(t.Address, address, StringComparison.OrdinalIgnoreCase)), timeout ?? TimeSpan.FromSeconds(10));

    private async Task ListenAsync()
    {
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, 0))
                .AuthenticationRequired(username is not null)
                .AllowUnsecureAuthentication(true))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new Store(this));
        services.Add(new DelegatingUserAuthenticator((user, pass) => Authenticate(user, pass)));
        var server = new SmtpServer.SmtpServer(options, services);
        running = server.StartAsync(stop.Token);
        Port = await Task.WhenAny(started.Task, running) == started.Task ? started.Task.Result
            : throw new InvalidOperationException("The test SMTP server stopped before it listened.", running.Exception);
    }

    private bool Authenticate(string user, string pass)
    {
        var ok = username is not null && user == username && pass == password;
        if (ok) lock (gate) logins.Add(user);
        return ok;
    }

    private void Receive(MimeMessage message)
    {
        List<TaskCompletionSource<MimeMessage>> matched;
        lock (gate)
        {
            messages.Add(message);
            matched = [.. waiters.Where(w => w.Matches(message)).Select(w => w.Found)];
            waiters.RemoveAll(w => matched.Contains(w.Found));
        }
        foreach (var found in matched) found.TrySetResult(message);
    }

    /// <summary>Stops the server; a test that stops it early to make mail fail is disposed again safely.</summary>
    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested) return;
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
        stop.Dispose();
    }

    private sealed class Store(SmtpInbox inbox) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            inbox.Receive(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
