using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Consent.App.RateLimits;

/// <summary>
/// Limits per client on the anonymous writes, the banner's configuration, the script's banner views and the team's exports (ASP.NET Core's rate
/// limiter, fixed windows from <see cref="RateLimitOptions"/>), answered <c>429</c> with <c>Retry-After</c> and a problem
/// saying what was limited. Sign-in is limited in its form (<see cref="SignInLimits"/>), which also limits per account.
/// </summary>
public static partial class RateLimitPolicies
{
    /// <summary>Policy names, the same as their configuration keys.</summary>
    public const string Choices = nameof(RateLimitOptions.Choices);
    public const string Config = nameof(RateLimitOptions.Config);
    public const string BannerViews = nameof(RateLimitOptions.BannerViews);
    public const string Exports = nameof(RateLimitOptions.Exports);

    public static IServiceCollection AddConsentRateLimits(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<RateLimitOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.AddSingleton<RateLimitHits>();
        services.AddSingleton<SignInLimits>();
        services.AddSingleton<MemberFormLimits>();
        services.AddSingleton<RequestFormLimits>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, options) =>
        {
            var limits = options.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => RefuseAsync(context);
            AddPolicy(limiter, Choices, limits.Enabled, limits.Choices);
            AddPolicy(limiter, Config, limits.Enabled, limits.Config);
            AddPolicy(limiter, BannerViews, limits.Enabled, limits.BannerViews);
            AddPolicy(limiter, Exports, limits.Enabled, limits.Exports);
        });
        return services;
    }

    /// <summary>The rate limiter in the pipeline, after the forwarded headers (the client's address) and CORS (so a refused script can read why).</summary>
    public static IApplicationBuilder UseConsentRateLimits(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitPolicies).FullName!);
        if (limits.Enabled) LogLimitsOn(log, string.Join(", ", limits.All().Select(l => $"{l.Name} {l.Limit}")));
        else LogLimitsOff(log);
        return app.UseRateLimiter();
    }

    /// <summary>A fixed window per client; no queue, so a refused request is answered at once.</summary>
    public static FixedWindowRateLimiterOptions WindowOf(WindowLimit limit) => new()
    {
        PermitLimit = limit.PermitLimit,
        Window = limit.Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>Whole seconds to wait, at least one, as <c>Retry-After</c> says it.</summary>
    public static int SecondsToWait(RateLimitLease lease, WindowLimit limit) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : limit.WindowSeconds;

    private static void AddPolicy(RateLimiterOptions limiter, string name, bool enabled, WindowLimit limit) =>
        limiter.AddPolicy(name, http => enabled
            ? RateLimitPartition.GetFixedWindowLimiter(ClientPartition.Of(http), _ => WindowOf(limit))
            : RateLimitPartition.GetNoLimiter(""));

    private static async ValueTask RefuseAsync(OnRejectedContext context)
    {
        var http = context.HttpContext;
        var name = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "";
        var limit = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.All()
            .FirstOrDefault(l => l.Name == name).Limit ?? new WindowLimit { PermitLimit = 0, WindowSeconds = 60 };
        http.RequestServices.GetRequiredService<RateLimitHits>().Count(name);

        var seconds = SecondsToWait(context.Lease, limit);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        var (title, what) = name switch
        {
            Choices => ("Too many cookie choices", "cookie choices"),
            Config => ("Too many banner requests", "requests for the banner's configuration"),
            BannerViews => ("Too many banner views", "banner views"),
            Exports => ("Too many exports", "exports"),
            _ => ("Too many requests", "requests"),
        };
        await TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: title,
            detail: $"Your network sent more than {limit.PermitLimit} {what} in {limit.WindowSeconds} seconds, so this one was refused and changed nothing. Try again in {seconds} seconds.",
            extensions: new Dictionary<string, object?>
            {
                ["limit"] = JsonNamingPolicy.KebabCaseLower.ConvertName(name),
                ["retryAfter"] = seconds,
            }).ExecuteAsync(http);
    }

    [LoggerMessage(EventId = 4000, EventName = "RateLimitsOn", Level = LogLevel.Information, Message = "Rate limits per client: {Limits}")]
    private static partial void LogLimitsOn(ILogger logger, string limits);

    [LoggerMessage(EventId = 4001, EventName = "RateLimitsOff", Level = LogLevel.Warning,
        Message = "Rate limits are off (Consent:RateLimits:Enabled is false): one client can fill the consent log. Use this for load tests only.")]
    private static partial void LogLimitsOff(ILogger logger);
}
