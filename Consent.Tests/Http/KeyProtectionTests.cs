using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Http;

/// <summary>Data Protection's keys encrypted at rest with a certificate from configuration (Consent:DataProtection:Certificate).</summary>
public abstract class KeyProtectionTests(TestEngine engine) : AppTest(engine), IDisposable
{
    public sealed class OnSqlite() : KeyProtectionTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : KeyProtectionTests(TestEngine.Postgres);

    private readonly string certificatePath = Path.Combine(Path.GetTempPath(), $"consent-keys-{Guid.NewGuid():N}.pfx");
    private const string CertificatePassword = "a password for the test certificate";

    protected override void Configure(IDictionary<string, string> settings)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=consent-center keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(certificatePath, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        settings["Consent:DataProtection:Certificate:Path"] = certificatePath;
        settings["Consent:DataProtection:Certificate:Password"] = CertificatePassword;
    }

    public void Dispose() => File.Delete(certificatePath);

    [Fact]
    public async Task With_a_certificate_the_stored_keys_are_encrypted_and_still_read_after_a_restart()
    {
        var cookie = await client.PostChoiceAsync(VisitorRequests.BannerForm("accept-all"));
        await using var restarted = app.AnotherInstance();

        await using var db = await restarted.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        var key = Assert.Single(await db.DataProtectionKeys.AsNoTracking().ToListAsync());
        using var visitor = restarted.CreateVisitorClient();
        var (_, page) = await visitor.GetPageAsync("/", consentCookie: cookie.ConsentCookieValue());

        Assert.Contains("encryptedSecret", key.Xml);
        Assert.DoesNotContain("unencrypted form", key.Xml);
        Assert.Null(page.QuerySelector("section#cc-banner"));
    }

    [Fact]
    public void A_certificate_path_that_is_not_a_file_stops_the_start_naming_the_setting()
    {
        using var broken = app.AnotherInstance();
        broken.Settings["Consent:DataProtection:Certificate:Path"] = "/no/such/keys.pfx";

        var error = Assert.ThrowsAny<Exception>(() => broken.Services);

        Assert.Contains("Consent:DataProtection:Certificate:Path is \"/no/such/keys.pfx\", which is not a file", error.ToString());
    }
}
