using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Consent.Core.Mail;

public static class MailServices
{
    /// <summary>Registers <see cref="MailService"/> with its settings from <paramref name="mailSection"/> ("Consent:Mail"), checked at start.</summary>
    public static IServiceCollection AddConsentMail(this IServiceCollection services, IConfiguration mailSection)
    {
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<MailOptions>()
            .Bind(mailSection)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        services.AddSingleton<IValidator<OutgoingMail>, OutgoingMailValidator>();
        services.AddSingleton<MailService>();
        return services;
    }
}
