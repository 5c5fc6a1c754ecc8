using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Core.Persistence;

/// <summary>
/// ASP.NET Core Data Protection with its keys in the center's database, so that sign-in, antiforgery tokens,
/// circuits and the consent cookie's signing key survive restarts and are understood by every instance.
/// With <c>Consent:DataProtection:Certificate:Path</c> the keys are encrypted at rest with that certificate.
/// </summary>
public static class SharedKeys
{
    /// <summary>The same for every instance, wherever it is installed: Data Protection isolates applications by it.</summary>
    public const string ApplicationName = "consent-center";

    public static IServiceCollection AddSharedKeys(this IServiceCollection services, IConfiguration dataProtectionSection)
    {
        var builder = services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<ConsentDbContext>();

        var certificate = Load(dataProtectionSection.GetSection("Certificate"), "Consent:DataProtection:Certificate");
        if (certificate is null) return services;
        var previous = dataProtectionSection.GetSection("PreviousCertificates").GetChildren()
            .Select(c => Load(c, $"Consent:DataProtection:PreviousCertificates:{c.Key}"))
            .OfType<X509Certificate2>();
        // New keys are encrypted with the current certificate; keys encrypted with an older one stay readable.
        builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate([certificate, .. previous]);
        return services;
    }

    private static X509Certificate2? Load(IConfigurationSection section, string key)
    {
        var path = section["Path"];
        if (string.IsNullOrWhiteSpace(path)) return null;
        if (!File.Exists(path)) throw new InvalidOperationException($"{key}:Path is \"{path}\", which is not a file: give a PKCS#12 (.pfx) certificate with its private key.");
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, section["Password"], X509KeyStorageFlags.EphemeralKeySet);
            return certificate.HasPrivateKey ? certificate
                : throw new InvalidOperationException($"{key}:Path \"{path}\" has no private key; Data Protection needs it to read its keys back.");
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"{key}:Path \"{path}\" could not be read as a PKCS#12 certificate with {key}:Password.", e);
        }
    }
}
