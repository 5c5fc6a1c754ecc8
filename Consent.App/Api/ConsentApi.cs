using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Consent.App.Endpoints;
using Consent.App.Members;
using Consent.App.RateLimits;
using Consent.App.Visitors;
using Consent.Core.Catalogue;
using Consent.Core.ConsentMode;
using Consent.Core.Consents;
using Consent.Core.Languages;
using Consent.Core.Log.Receipts;
using Consent.Core.Policies;
using Consent.Core.Snapshot;
using Consent.Core.Statistics;
using FluentValidation;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace Consent.App.Api;

/// <summary>
/// <c>/api/v1</c>: what the embedded script (wwwroot/consent.js) and any other client need to show a banner and
/// record a choice. Every choice ends in the same <see cref="ConsentService.RecordAsync"/> as the built-in banner,
/// checked by the same <see cref="ConsentSubmissionValidator"/>. Other websites may call it only from the
/// origins of <c>Consent:Sites</c> (CORS, and a server-side check of Origin for posts).
/// </summary>
public static class ConsentApi
{
    public const string CorsPolicy = "ConsentSites";

    /// <summary>
    /// Request header carrying the consent cookie's value from another site. Browsers block third-party cookies,
    /// so the script keeps the value first-party on the embedding site and sends it back here.
    /// </summary>
    public const string CookieHeader = "Consent-Cookie";


    /// <summary>Method and source travel as kebab-case names ("accept-all", "preference-center"), never as numbers.</summary>
    private static readonly JsonStringEnumConverter EnumNames = new(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false);

    public static IServiceCollection AddConsentApi(this IServiceCollection services)
    {
        services.AddSingleton<ConfigBodies>();
        services.AddCors();
        // The allow-list is exactly the configured sites' origins; the script sends its JSON and the cookie header.
        services.AddOptions<CorsOptions>().Configure<IOptions<ConsentOptions>>((cors, consent) =>
            cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins([.. consent.Value.Sites.Values])
                .WithMethods(HttpMethods.Get, HttpMethods.Post)
                .WithHeaders("Content-Type", CookieHeader, IdempotencyKeyHeader)
                .WithExposedHeaders(ReplayedHeader)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(EnumNames);
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict; // numbers are numbers, also in the OpenAPI document
        });
        services.AddOpenApi(o =>
        {
            // The document describes the public API and the log's public endpoints, not the center's own form posts and exports.
            o.ShouldInclude = description => description.RelativePath is { } path
                && (path.StartsWith("api/v1/", StringComparison.Ordinal) || path.StartsWith("log/", StringComparison.Ordinal));
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Consent center API";
                document.Info.Description = "Show a cookie banner and record visitors' choices from any configured site. See docs/api.md.";
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapConsentApi(this IEndpointRouteBuilder app)
    {
        // No antiforgery token (it would be a cookie before the first choice); posts are checked by Origin instead.
        var api = app.MapGroup("/api/v1").RequireCors(CorsPolicy).DisableAntiforgery().WithTags("Consent");
        api.MapGet("/config", GetConfig)
            .RequireRateLimiting(RateLimitPolicies.Config)
            .WithName("GetConfig")
            .WithSummary("What a banner needs: categories and cookies, texts, policy version and recent changes, the same for everyone")
            .WithDescription("Texts are in ?lang= if the center has it, else Accept-Language (then the answer says Vary: Accept-Language), else English. " +
                "Public and cacheable for a minute, with a strong ETag; If-None-Match is answered 304. No cookie or header of the visitor is read: " +
                "the script works out the visitor's state from its own cc_consent cookie.")
            .Produces<ConsentConfigResponse>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/banner-views", PostBannerView)
            .RequireRateLimiting(RateLimitPolicies.BannerViews)
            .WithName("CountBannerView")
            .WithSummary("Count one banner shown to a visitor, in the statistics' \"banner shown\"")
            .WithDescription("?policyVersion=N&language=xx&site=id with no body and no identifier (a CORS simple request): the version in force, " +
                "a language of the center and the site the request's Origin belongs to (none on the center's own pages). Answers 204.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/consents", PostConsentAsync)
            .RequireRateLimiting(RateLimitPolicies.Choices)
            .WithName("RecordConsent")
            .WithSummary("Record a visitor's decision")
            .WithDescription("Answers the consent id, the cookie to keep (first-party, sent back in Consent-Cookie) and the new state. " +
                "Same-origin callers also get the cc_consent cookie. Nothing is stored when the choice is refused.")
            // The body is read by the handler (to name the field of a reading error), so it is described here:
            // an Accepts() would also make routing refuse other content types before the handler's Origin check.
            .AddOpenApiOperationTransformer(DescribeRequestBodyAsync)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/consents/current", GetCurrent)
            .WithName("GetCurrentConsent")
            .WithSummary("The caller's consent in force, from its cc_consent cookie or the Consent-Cookie header");
        api.MapGet("/consents/current/receipt", ReceiptEndpoints.GetCurrentReceiptAsync)
            .RequireRateLimiting(RateLimitPolicies.Choices)
            .WithName("GetCurrentConsentReceipt")
            .WithSummary("A receipt of the caller's consent in force, with the proof that it is in the signed log")
            .WithDescription("From the cc_consent cookie or the Consent-Cookie header. JSON shaped after ISO/IEC TS 27560 and the Kantara Consent Receipt v1.1 " +
                "(docs/log.md, \"Receipts\"): the record's fields, the controller, the policy, the visitor id and salt, the leaf's inclusion path and the signed " +
                "checkpoint; it verifies offline (verify-receipt). 404 when no decision is in force. Not cacheable.")
            .Produces<Receipt>(StatusCodes.Status200OK, ReceiptJson.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    /// <summary>How long a browser, proxy or CDN may keep the config: a newly published policy reaches visitors within it.</summary>
    public const string ConfigCacheControl = "public, max-age=60";

    public static IResult GetConfig(string? lang, HttpContext http, VisitorRequest visitor, ConfigBodies bodies, IOptions<JsonOptions> json, IOptions<ConsentOptions> options)
    {
        // ?lang= when the center has it, else the browser's languages; never a cookie, so a cache may hand the answer to anyone.
        var language = VisitorLanguages.Find(lang);
        if (language is null)
        {
            language = VisitorLanguages.FromAcceptLanguage(http.Request.Headers.AcceptLanguage) ?? VisitorLanguages.Default;
            http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
        }
        // CORS names Origin in Vary only for a request that has one; a cache must know either way that the answer's CORS headers depend on it.
        if (http.Request.Headers.Origin.Count == 0) http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        var policyUrl = PostOrigin.PolicyUrl(http.Request, options.Value);
        var body = bodies.Of(visitor.Snapshot, language, policyUrl, json.Value.SerializerOptions);

        http.Response.Headers.CacheControl = ConfigCacheControl;
        http.Response.Headers.ETag = body.ETag;
        return body.IsNamedBy(http.Request.Headers.IfNoneMatch)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(body.Json, "application/json; charset=utf-8");
    }

    /// <summary>The config of one language, the same bytes for every visitor, made from a snapshot (kept by <see cref="ConfigBodies"/>).</summary>
    public static ConfigBody ConfigBodyOf(CenterSnapshot snapshot, string language, string policyUrl, JsonSerializerOptions json)
    {
        var culture = CultureInfo.GetCultureInfo(language);
        var shown = snapshot.CategoriesIn(language);
        var mode = snapshot.ConsentMode;
        // Every answer a visitor can hold is version 1 or later: the newest versions after it, as many as the center's banner shows.
        return ConfigBody.Of(new ConsentConfigResponse(
            language,
            snapshot.PolicyVersion,
            policyUrl,
            ScriptTexts.All(language, shown),
            shown.Select(c => new CategoryResponse(c.Key, c.Name, c.Description, c.IsRequired,
                c.Cookies.Select(k => new CookieResponse(k.Supplier, k.Name, k.Duration, k.Function)).ToList())).ToList(),
            snapshot.ChangesSince(1).Select(p => new PolicyChangeResponse(p.Number, p.PublishedAt, p.Summary,
                p.ChangedCategoryNames.Select(n => VisitorLanguages.CategoryName(n, culture)).ToList())).ToList(),
            new GoogleConsentModeResponse(mode.Mode.ToString().ToLowerInvariant(), mode.Types)), json);
    }

    /// <summary>
    /// The script's beacon for a banner it showed: counted as "banner shown" like a banner of the center's own pages, without
    /// any identifier, under the language it was shown in. Checked by Origin like a choice, since it needs no preflight.
    /// </summary>
    public static Results<NoContent, ValidationProblem, ProblemHttpResult> PostBannerView(
        HttpContext http, VisitorRequest visitor, BannerViewCounter bannerViews, IOptions<ConsentOptions> options)
    {
        http.Response.Headers.CacheControl = "no-store";
        var origin = visitor.Origin;
        if (origin.IsRefused)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: BannerViewRefusedTitle,
                detail: $"Banner views are counted from this center's own pages and from the sites configured in Consent:Sites; {origin.Origin} is not one of them.");
        }
        var (view, errors) = BannerViewQuery.Read(http.Request, origin, options.Value, visitor.Snapshot.PolicyVersion);
        if (view is null) return TypedResults.ValidationProblem(errors, title: BannerViewRefusedTitle);

        bannerViews.Count(view.PolicyVersion, view.Language);
        return TypedResults.NoContent();
    }

    public const string BannerViewRefusedTitle = "This banner view was not counted";

    public static Ok<ConsentStateResponse> GetCurrent(HttpContext http, VisitorRequest visitor)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(StateOf(visitor.Consent, visitor.Snapshot.Categories));
    }

    public static async Task<Results<Created<ConsentCreatedResponse>, ValidationProblem, ProblemHttpResult>> PostConsentAsync(
        HttpContext http, VisitorRequest visitor, ConsentService consents, MemberSession member, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        // CORS alone would let a cross-origin text/plain post through and only hide the answer, so the server refuses it itself.
        var origin = visitor.Origin;
        if (origin.IsRefused)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Choice refused",
                detail: $"Choices can be recorded from this center's own pages and from the sites configured in Consent:Sites; {origin.Origin} is not one of them.");
        }
        if (http.Request.Headers[CookieHeader].ToString().Length > MaxCookieHeaderLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [CookieHeader] = [$"{CookieHeader} is at most {MaxCookieHeaderLength} characters: send back the cookie's value as this center gave it."],
            }, title: ConsentOutcome.RefusedTitle);
        }
        var key = http.Request.Headers[IdempotencyKeyHeader];
        if (key.Count > 1 || (key.Count == 1 && !IsIdempotencyKey(key[0]!)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [IdempotencyKeyHeader] = [$"Send one Idempotency-Key of 1 to {MaxIdempotencyKeyLength} visible ASCII characters, such as a random UUID, per choice."],
            }, title: ConsentOutcome.RefusedTitle);
        }
        var body = await RequestBody.ReadAsync(http.Request, ConsentSubmissionReader.MaxBodyBytes, ct);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: ConsentOutcome.RefusedTitle, detail: ConsentSubmissionReader.TooLarge);
        }
        var reading = ConsentSubmissionReader.FromJson(body);
        if (reading.Submission is not { } submission) return TypedResults.ValidationProblem(reading.Errors, title: ConsentOutcome.RefusedTitle);
        if (origin.SiteError(submission.Site, http.Request, "choice", "made") is { } siteError)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["site"] = [siteError] }, title: ConsentOutcome.RefusedTitle);
        }

        // The record carries the language the banner was shown in: the one the script says it used, if the center has it.
        var outcome = await consents.RecordAsync(submission, visitor.Context(VisitorLanguages.Find(submission.Language)), key.Count == 1 ? key[0] : null, ct);
        switch (outcome.Kind)
        {
            case ConsentOutcomeKind.Superseded:
                // The policy changed since the banner was shown: nothing is stored, and the visitor must be asked again.
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The cookie policy has changed",
                    detail: "A newer policy version was published since this banner was shown; show the banner again with the current version.",
                    extensions: new Dictionary<string, object?> { ["errors"] = outcome.Errors, ["currentPolicyVersion"] = outcome.CurrentPolicyVersion });
            case ConsentOutcomeKind.KeyReused:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: ConsentOutcome.RefusedTitle,
                    detail: outcome.Errors[IdempotencyKeyHeader][0], extensions: new Dictionary<string, object?> { ["errors"] = outcome.Errors });
            case ConsentOutcomeKind.Refused:
                return TypedResults.ValidationProblem(outcome.Errors, title: ConsentOutcome.RefusedTitle);
        }

        var record = outcome.Receipt!.Record;
        if (outcome.Kind == ConsentOutcomeKind.Replayed) http.Response.Headers[ReplayedHeader] = "true";
        if (origin.IsOwn)
        {
            http.Response.Cookies.Append(ConsentCookie.Name, outcome.Receipt.CookieValue, ConsentFormEndpoints.ConsentCookieOptions(http.Request, record.ExpiresAt));
            await member.LinkChoiceAsync(record.VisitorId);
        }
        return TypedResults.Created((string?)null, new ConsentCreatedResponse(
            record.Id, new ConsentCookieResponse(ConsentCookie.Name, outcome.Receipt.CookieValue, record.ExpiresAt), StateOf(record)));
    }

    /// <summary>Request header naming one choice, so that a retry is answered from the first attempt (IETF draft "The Idempotency-Key HTTP Header Field").</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Answer header of a retry answered from the first attempt.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxIdempotencyKeyLength = 128;

    /// <summary>The center's cookies are under 200 characters; a longer header is not one of them.</summary>
    public const int MaxCookieHeaderLength = 1024;

    private static bool IsIdempotencyKey(string key) =>
        key.Length is > 0 and <= MaxIdempotencyKeyLength && key.All(c => c is > ' ' and <= '~');

    private static async Task DescribeRequestBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(ConsentRequest), null, ct);
        context.Document!.AddComponent(nameof(ConsentRequest), schema);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(nameof(ConsentRequest), context.Document) },
            },
        };
    }

    private static ConsentStateResponse StateOf(CurrentConsent current, IReadOnlyList<CategoryView> categories)
    {
        var required = categories.Where(c => c.IsRequired).Select(c => c.Key);
        IReadOnlyList<string> granted = current.IsSettled ? [.. categories.Select(c => c.Key).Where(current.Granted.Contains)] : [.. required];
        IReadOnlyList<string> denied = current.IsSettled ? [.. categories.Select(c => c.Key).Where(k => !current.Granted.Contains(k))] : [];
        var signal = current.HonouredSignal switch
        {
            PrivacySignal.GlobalPrivacyControl => "global-privacy-control",
            PrivacySignal.DoNotTrack => "do-not-track",
            _ => "none",
        };
        return new ConsentStateResponse(current.HasDecision, current.PolicyVersion, granted, denied, current.ConsentId,
            current.RecordedAt, current.ExpiresAt, current.AnsweredOlderPolicy, signal);
    }

    /// <summary>
    /// The state a record just stored puts in force: its decisions are the whole catalogue in order, so nothing needs to
    /// be read again (it is what <see cref="ConsentService.GetCurrentAsync"/> would answer for the new cookie).
    /// </summary>
    private static ConsentStateResponse StateOf(ConsentRecord record) =>
        new(true, record.PolicyVersion,
            [.. record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey)],
            [.. record.Decisions.Where(d => !d.Granted).Select(d => d.CategoryKey)],
            record.Id, record.RecordedAt, record.ExpiresAt, false, "none");
}
