using System.Globalization;
using Consent.Core.Log;
using Consent.Core.Log.Checkpoints;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Consent.App.Components.Admin;

public partial class LogPage
{
    [CascadingParameter] private Task<AuthenticationState>? Auth { get; set; }

    [Inject] private LogTree Tree { get; set; } = default!;
    [Inject] private LogVerifier Verifier { get; set; } = default!;
    [Inject] private CheckpointService Checkpoints { get; set; } = default!;

    private readonly CancellationTokenSource closing = new();
    private long? treeSize;
    private LogCheckpoint? lastCheckpoint;
    private LastVerification? lastVerification;
    private bool verifying;
    private long verified;
    private LogVerification? result;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        treeSize = (await Tree.GetHeadAsync(closing.Token)).Size;
        lastCheckpoint = await Checkpoints.LatestAsync(closing.Token);
        lastVerification = await Verifier.LastAsync(closing.Token);
    }

    /// <summary>Runs on the thread pool, so the hashing of millions of records never holds the circuit; progress comes back through InvokeAsync.</summary>
    private async Task VerifyAsync()
    {
        var actor = await Auth.ActorAsync();
        verifying = true;
        verified = 0;
        result = null;
        var progress = new Reporter(this);
        try
        {
            result = await Task.Run(() => Verifier.VerifyAsync(actor, progress, closing.Token));
            await LoadAsync();
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            // The page was closed.
        }
        finally
        {
            verifying = false;
        }
    }

    private bool signing;

    /// <summary>Admins only: signs the tree as it is now, if it grew since the last checkpoint.</summary>
    private async Task SignNowAsync()
    {
        signing = true;
        try
        {
            await Checkpoints.SignNowAsync(closing.Token);
            await LoadAsync();
        }
        finally
        {
            signing = false;
        }
    }

    private sealed class Reporter(LogPage page) : IProgress<long>
    {
        public void Report(long value) => _ = page.InvokeAsync(() =>
        {
            page.verified = value;
            page.StateHasChanged();
        });
    }

    private string TreeSizeText => Count(treeSize ?? 0, "record");

    private string CheckpointText => lastCheckpoint is not { } c ? "No checkpoint signed yet."
        : $"{Count(c.TreeSize, "record")}, signed {Time(c.SignedAt)} with key {c.KeyName}, {(c.TimestampToken is null ? "not timestamped" : "timestamped (RFC 3161)")}.";

    private string VerificationText => lastVerification is not { } v ? "Never verified."
        : $"{Time(v.At)} by {v.Actor}: {v.Result.Summary}";

    private double? ProgressPercent => treeSize is > 0 and var size ? Math.Min(100, 100.0 * verified / size) : null;

    private string ProgressText => string.Create(CultureInfo.InvariantCulture, $"{verified:N0} of {treeSize:N0} records");

    private static string Count(long n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n:N0} {noun}{(n == 1 ? "" : "s")}");

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    // Cancelled, not disposed: a verification still running on the thread pool may yet read the token.
    public void Dispose() => closing.Cancel();
}
