using Consent.Core.Audit;
using Consent.Core.Catalogue;
using Consent.Core.ConsentMode;
using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Log.Checkpoints;
using Consent.Core.Log.Receipts;
using Consent.Core.Mail;
using Consent.Core.Members;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using Consent.Core.PrivacyPolicy;
using Consent.Core.PrivacyTeam;
using Consent.Core.Requests;
using Consent.Core.Snapshot;
using Consent.Core.Statistics;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Consent.Core;

public static class ConsentCoreServices
{
    /// <summary>Registers the database, the shared keys, the catalogue, policies, consents and statistics.</summary>
    public static IServiceCollection AddConsentCore(this IServiceCollection services, ConsentDatabaseOptions database, IConfiguration consentSection)
    {
        // Core's services log through ILogger; the app adds its providers, and without any the messages go nowhere.
        services.AddLogging();
        services.AddSingleton(database);
        services.AddDbContextFactory<ConsentDbContext, ConsentDbContextFactory>(o => ConsentDbContextFactory.Configure(o, database));
        // Identity's stores and Data Protection's key store take a context per scope.
        services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContext());
        services.AddSingleton<ChangeFeed>();
        services.AddSharedKeys(consentSection.GetSection("DataProtection"));
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ConsentOptions>()
            .Bind(consentSection)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConsentOptions>, ConsentOptionsValidator>();
        services.AddOptions<CheckpointOptions>()
            .Bind(consentSection.GetSection(CheckpointOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CheckpointOptions>, CheckpointOptionsValidator>();
        services.AddOptions<ControllerOptions>()
            .Bind(consentSection.GetSection(ControllerOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ControllerOptions>, ControllerOptionsValidator>();
        // What the privacy policy states: the members' retention periods (the retention job reads the same), the DPO and the processors.
        services.AddOptions<MemberRetentionOptions>()
            .Bind(consentSection.GetSection(MemberRetentionOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MemberRetentionOptions>, MemberRetentionOptionsValidator>();
        services.AddOptions<PrivacyPolicyOptions>()
            .Bind(consentSection)
            .PostConfigure<IOptions<ControllerOptions>>((policy, controller) =>
            {
                if (string.IsNullOrEmpty(policy.Dpo.Email)) policy.Dpo.Email = controller.Value.Contact;
                if (string.IsNullOrEmpty(policy.Dpo.Address)) policy.Dpo.Address = controller.Value.Address;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PrivacyPolicyOptions>, PrivacyPolicyOptionsValidator>();
        // Rights requests: the identity check, the register's deadlines (Consent:Requests), the DPO's inbox and daily reminder.
        services.AddOptions<RequestOptions>()
            .Bind(consentSection.GetSection(RequestOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RequestOptions>, RequestOptionsValidator>();
        services.AddSingleton<RequestDeadlines>();
        services.AddSingleton<RequestInbox>();
        services.AddSingleton<IValidator<RequestStepInput>, RequestStepInputValidator>();
        services.AddSingleton<RequestMails>();
        // The DPO's daily reminder and the register's clean-up; the app's RequestReminderJob runs it.
        services.AddSingleton<RequestReminders>();
        // The public request form and its e-mail check (RequestService), with the field checks the form and the service share.
        services.AddSingleton<IValidator<RequestInput>, RequestInputValidator>();
        services.AddSingleton<IValidator<VerificationInput>, VerificationInputValidator>();
        services.AddSingleton<RequestService>();
        // The register as the privacy team reads it: list, one request, the dashboard's counts, the CSV.
        services.AddSingleton<RequestRegister>();

        services.AddSingleton<IValidator<CookieInput>, CookieInputValidator>();
        services.AddSingleton<IValidator<CategoryInput>, CategoryInputValidator>();
        services.AddSingleton<IValidator<SupplierInput>, SupplierInputValidator>();
        services.AddSingleton<IValidator<ConsentSubmission>, ConsentSubmissionValidator>();
        services.AddSingleton<IValidator<PolicyPublication>, PolicyPublicationValidator>();
        services.AddSingleton<IValidator<ConsentSettingsInput>, ConsentSettingsInputValidator>();
        services.AddSingleton<IValidator<StatisticsFilter>, StatisticsFilterValidator>();
        services.AddSingleton<IValidator<ConsentLogExport>, ConsentLogExportValidator>();
        services.AddSingleton<IValidator<GoogleConsentModeInput>, GoogleConsentModeInputValidator>();

        services.AddSingleton<CatalogueService>();
        services.AddSingleton<AuditService>();
        services.AddSingleton<PolicyService>();
        services.AddSingleton<ConsentSettingsService>();
        services.AddSingleton<GoogleConsentModeService>();
        services.AddSingleton<SnapshotService>();
        services.AddSingleton<ConsentCookie>();
        services.AddSingleton<ConsentWriter>();
        services.AddSingleton<ConsentService>();
        services.AddSingleton<ConsentLog>();
        services.AddSingleton<ConsentHistoryService>();
        services.AddSingleton<ConsentRetention>();
        services.AddSingleton<LogTree>();
        services.AddSingleton<CheckpointService>();
        services.AddSingleton<ReceiptService>();
        services.AddSingleton<LogVerifier>();
        services.AddSingleton<IValidator<TeamMemberInput>, TeamMemberInputValidator>();
        services.AddSingleton<TeamAccounts>();
        // The community's members: their Identity store is added by the app (AddIdentityCore<Member>), the rest lives here.
        services.TryAddSingleton<ILookupNormalizer, UpperInvariantLookupNormalizer>();
        services.AddSingleton<IValidator<ProfileInput>, ProfileInputValidator>();
        services.AddSingleton<IValidator<SignUpInput>, SignUpInputValidator>();
        services.AddSingleton<IValidator<DirectiveInput>, DirectiveInputValidator>();
        services.AddSingleton<CommunicationPreferences>();
        services.AddSingleton<UnsubscribeLinks>();
        services.AddSingleton<MemberService>();
        services.AddSingleton<MemberDirectory>();
        services.AddSingleton<MemberPrivacyMails>();
        // Members' account flows: MemberAccounts is registered by the app with Identity's user manager it needs (AddMemberAccounts).
        services.AddSingleton<IValidator<SignInInput>, SignInInputValidator>();
        services.AddSingleton<IValidator<EmailInput>, EmailInputValidator>();
        services.AddSingleton<IValidator<PasswordInput>, PasswordInputValidator>();
        services.AddSingleton<MemberMails>();
        // Inactive accounts warned then erased, offers opt-ins lapsed (Consent:Members:Retention); the app's MemberRetentionJob runs it.
        services.AddSingleton<MemberRetention>();
        services.AddSingleton<StatisticsNotifier>();
        services.AddSingleton<BannerViewCounter>();
        services.AddSingleton<StatisticsService>();
        // One client for the center's life; the pooled connections are renewed so a changed address of the authority is seen.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TimestampService>(sp,
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })));
        // Outgoing mail (Consent:Mail): SMTP, or .eml files in a pickup folder.
        services.AddConsentMail(consentSection.GetSection(MailOptions.Section));
        return services;
    }
}
