using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Consent.App.RateLimits;
using Consent.Core.Log;
using Consent.Core.Log.Checkpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consent.App.Endpoints;

/// <summary>
/// <c>/log</c>: the consent log's signed checkpoints, keys and proofs, public and cacheable, for anyone who checks the
/// log the way certificate transparency logs are checked (docs/log.md).
/// </summary>
public static class LogEndpoints
{
    /// <summary>The most checkpoints one page of the history holds.</summary>
    public const int MaxPage = 1000;

    public const int DefaultPage = 100;

    /// <summary>What changes as the log grows is kept a minute; a proof for a given tree never changes.</summary>
    public const string ShortCache = "public, max-age=60";
    public const string LongCache = "public, max-age=86400";

    private const string PlainText = "text/plain; charset=utf-8";

    public static IEndpointRouteBuilder MapTransparencyLog(this IEndpointRouteBuilder app)
    {
        var log = app.MapGroup("/log").RequireRateLimiting(RateLimitPolicies.Config).WithTags("Log");
        log.MapGet("/checkpoint", GetCheckpointAsync)
            .WithName("GetLatestCheckpoint")
            .WithSummary("The latest signed checkpoint: a C2SP tlog-checkpoint in a signed note (Ed25519)")
            .WithDescription("text/plain; check it with the keys of /log/key. Cacheable for a minute, with an ETag; If-None-Match is answered 304.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        log.MapGet("/checkpoints", GetCheckpointsAsync)
            .WithName("GetCheckpoints")
            .WithSummary("Every signed checkpoint, in order of tree size, a page at a time")
            .WithDescription($"?after=N lists those of a size above N (default: from the first), ?limit= 1 to {MaxPage} (default {DefaultPage}). " +
                "nextAfter is the after= of the next page, null on the last.")
            .Produces<CheckpointHistoryResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        log.MapGet("/key", GetKeysAsync)
            .WithName("GetLogKeys")
            .WithSummary("The log's verifier keys in C2SP note format, one a line, newest first")
            .WithDescription("name+keyid+base64(0x01 || Ed25519 public key). Rotated keys stay listed, so older checkpoints still verify.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        log.MapGet("/proof/inclusion", GetInclusionProofAsync)
            .WithName("GetInclusionProof")
            .WithSummary("The proof that a consent record is in the tree of a given size (RFC 9162)")
            .WithDescription("?consentId= (the record's id) and ?treeSize= (default: the latest checkpoint's). 404 when the record is unknown " +
                "or not in that tree.")
            .Produces<InclusionProofResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        log.MapGet("/proof/consistency", GetConsistencyProofAsync)
            .WithName("GetConsistencyProof")
            .WithSummary("The proof that the tree of ?from= leaves is a prefix of the tree of ?to= leaves (RFC 9162)")
            .WithDescription("1 ≤ from ≤ to ≤ the tree's size.")
            .Produces<ConsistencyProofResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    public static async Task<IResult> GetCheckpointAsync(HttpContext http, CheckpointService checkpoints, CancellationToken ct)
    {
        if (await checkpoints.LatestAsync(ct) is not { } latest)
        {
            http.Response.Headers.CacheControl = "no-cache";
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No checkpoint yet",
                detail: "The center has not signed a checkpoint of its log yet; it signs one within Consent:Log:CheckpointMinutes of the first record.");
        }
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(latest.Note)))[..32]}\"";
        http.Response.Headers.CacheControl = ShortCache;
        http.Response.Headers.ETag = etag;
        return http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*"))
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Text(latest.Note, PlainText);
    }

    public static async Task<Results<Ok<CheckpointHistoryResponse>, ValidationProblem>> GetCheckpointsAsync(
        string? after, string? limit, HttpContext http, CheckpointService checkpoints, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var from = after is null ? 0 : Number(after, "after", 0, long.MaxValue, errors);
        var size = limit is null ? DefaultPage : Number(limit, "limit", 1, MaxPage, errors);
        if (errors.Count > 0) return Refused(http, errors, "The checkpoint history's page is not valid");

        var page = await checkpoints.HistoryAsync(from, (int)size + 1, ct);
        var shown = page.Take((int)size).Select(c => new CheckpointResponse(c.TreeSize, c.RootHash, c.SignedAt, c.KeyName, c.Note, c.TimestampToken)).ToList();
        http.Response.Headers.CacheControl = ShortCache;
        return TypedResults.Ok(new CheckpointHistoryResponse(shown, page.Count > size ? shown[^1].TreeSize : null));
    }

    public static async Task<IResult> GetKeysAsync(HttpContext http, CheckpointService checkpoints, CancellationToken ct)
    {
        var keys = await checkpoints.VerifiersAsync(ct);
        http.Response.Headers.CacheControl = ShortCache;
        return TypedResults.Text(string.Concat(keys.Select(k => k.KeyText + "\n")), PlainText);
    }

    public static async Task<Results<Ok<InclusionProofResponse>, ValidationProblem, ProblemHttpResult>> GetInclusionProofAsync(
        string? consentId, string? treeSize, HttpContext http, CheckpointService checkpoints, LogTree tree, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var id = ConsentId(consentId, errors);
        var head = await tree.GetHeadAsync(ct);
        long? size = treeSize is null ? null : Number(treeSize, "treeSize", 1, head.Size, errors, $"the log holds {head.Size} records");
        if (errors.Count > 0) return Refused(http, errors, "The inclusion proof's request is not valid");

        if (size is null)
        {
            if (await checkpoints.LatestAsync(ct) is not { TreeSize: > 0 } latest)
            {
                return NotFound(http, "No checkpoint yet", "No checkpoint of a non-empty tree is signed yet: give treeSize, or ask again after the next checkpoint.");
            }
            size = latest.TreeSize;
        }
        var proof = await tree.InclusionProofAsync(id, size.Value, ct);
        if (proof is null)
        {
            return NotFound(http, "Not in this tree", $"The log has no record {id} among its first {size} records.");
        }
        http.Response.Headers.CacheControl = treeSize is null ? ShortCache : LongCache;
        return TypedResults.Ok(new InclusionProofResponse(proof.ConsentId, proof.LeafIndex, proof.TreeSize, proof.LeafHash, proof.Path));
    }

    public static async Task<Results<Ok<ConsistencyProofResponse>, ValidationProblem>> GetConsistencyProofAsync(
        string? from, string? to, HttpContext http, LogTree tree, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var head = await tree.GetHeadAsync(ct);
        var within = $"the log holds {head.Size} records";
        var older = from is null ? Missing("from", "Give from, the smaller tree size (at least 1).", errors) : Number(from, "from", 1, head.Size, errors, within);
        var newer = to is null ? Missing("to", "Give to, the larger tree size.", errors) : Number(to, "to", 1, head.Size, errors, within);
        if (errors.Count == 0 && older > newer) errors["from"] = [$"from ({older}) is larger than to ({newer}): a tree is consistent with a later, larger one."];
        if (errors.Count > 0) return Refused(http, errors, "The consistency proof's request is not valid");

        var proof = await tree.ConsistencyProofAsync(older, newer, ct);
        http.Response.Headers.CacheControl = LongCache;
        return TypedResults.Ok(new ConsistencyProofResponse(older, newer, proof));
    }

    private static ValidationProblem Refused(HttpContext http, Dictionary<string, string[]> errors, string title)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.ValidationProblem(errors, title: title);
    }

    private static ProblemHttpResult NotFound(HttpContext http, string title, string detail)
    {
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);
    }

    private static long Missing(string field, string message, Dictionary<string, string[]> errors)
    {
        errors[field] = [message];
        return 0;
    }

    /// <summary>Decimal digits only, no sign, spaces or leading zeros, within [min, max].</summary>
    private static long Number(string value, string field, long min, long max, Dictionary<string, string[]> errors, string? why = null)
    {
        var digits = value.Length is > 0 and <= 19 && value.All(char.IsAsciiDigit) && (value.Length == 1 || value[0] != '0');
        if (!digits || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            errors[field] = [$"{field} is \"{Shorten(value)}\"; it must be a whole number written in digits, such as {Math.Max(min, 1)}."];
            return 0;
        }
        if (number < min || number > max)
        {
            errors[field] = [$"{field} is {number}; it must be from {min} to {max}{(why is null ? "" : $" ({why})")}."];
            return 0;
        }
        return number;
    }

    private static Guid ConsentId(string? value, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors["consentId"] = ["Give consentId, the id of a consent record (as the API and receipts write it)."];
            return Guid.Empty;
        }
        if (Guid.TryParseExact(value, "D", out var id) || Guid.TryParseExact(value, "N", out id)) return id;
        errors["consentId"] = [$"consentId is \"{Shorten(value)}\"; it must be a record id such as 019a7b2c-3d4e-7f00-a1b2-c3d4e5f60718."];
        return Guid.Empty;
    }

    /// <summary>A bad value is echoed, but never at length.</summary>
    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
