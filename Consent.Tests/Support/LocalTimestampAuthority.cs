using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Consent.Tests.Support;

/// <summary>
/// A real RFC 3161 time-stamping authority on a loopback port: `openssl ts -reply` signs each query with a throwaway
/// TSA certificate (critical extended key usage timeStamping) issued by a throwaway CA, both made here.
/// </summary>
public sealed class LocalTimestampAuthority : IAsyncDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("consent-tsa-").FullName;
    private readonly SemaphoreSlim openssl = new(1, 1);
    private WebApplication? app;
    private byte[]? lastReply;

    /// <summary>How the authority answers the next queries.</summary>
    public TimestampAuthorityMode Mode { get; set; } = TimestampAuthorityMode.Stamps;

    public string Url { get; private set; } = "";

    /// <summary>The CA certificate (PEM) the TSA certificate chains to.</summary>
    public string CaCertificatePath => Path.Combine(directory, "ca.pem");

    public int Queries { get; private set; }

    public async Task StartAsync()
    {
        WriteCertificates();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Run(Answer);
        await app.StartAsync();
        // By the name "localhost": the app's appsettings.json, which the slim builder also reads here, allows that host.
        Url = $"http://localhost:{new Uri(app.Urls.First()).Port}/tsa";
    }

    /// <summary>A PEM file of another CA, to which this authority does not chain.</summary>
    public string WriteOtherCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = CaRequest("CN=Another CA", key).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(directory, "other-ca.pem");
        File.WriteAllText(path, other.ExportCertificatePem());
        return path;
    }

    private async Task Answer(HttpContext context)
    {
        Queries++;
        if (Mode == TimestampAuthorityMode.Fails)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        context.Response.ContentType = "application/timestamp-reply";
        if (Mode == TimestampAuthorityMode.AnswersGarbage)
        {
            await context.Response.Body.WriteAsync("not a timestamp reply"u8.ToArray());
            return;
        }
        if (Mode == TimestampAuthorityMode.ReplaysLastReply && lastReply is not null)
        {
            await context.Response.Body.WriteAsync(lastReply);
            return;
        }
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        await openssl.WaitAsync();
        try
        {
            var query = Path.Combine(directory, "query.tsq");
            var reply = Path.Combine(directory, "reply.tsr");
            await File.WriteAllBytesAsync(query, body.ToArray());
            await RunAsync("ts", "-reply", "-config", Path.Combine(directory, "tsa.cnf"), "-queryfile", query, "-out", reply);
            lastReply = await File.ReadAllBytesAsync(reply);
            await context.Response.Body.WriteAsync(lastReply);
        }
        finally
        {
            openssl.Release();
        }
    }

    private void WriteCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = CaRequest("CN=Consent Test TSA Root", caKey).CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        using var tsaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tsaRequest = new CertificateRequest("CN=Consent Test TSA", tsaKey, HashAlgorithmName.SHA256);
        tsaRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        tsaRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        tsaRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], critical: true));
        tsaRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var tsa = tsaRequest.Create(ca, now.AddHours(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(8));

        File.WriteAllText(CaCertificatePath, ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "tsa.pem"), tsa.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "tsa.key"), tsaKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(directory, "serial"), "01\n");
        File.WriteAllText(Path.Combine(directory, "tsa.cnf"), $"""
            [ tsa ]
            default_tsa = tsa_config
            [ tsa_config ]
            serial = {directory}/serial
            crypto_device = builtin
            signer_cert = {directory}/tsa.pem
            certs = {directory}/ca.pem
            signer_key = {directory}/tsa.key
            signer_digest = sha256
            default_policy = 1.3.6.1.4.1.4146.2.3
            digests = sha256, sha384, sha512
            accuracy = secs:1
            ordering = yes
            tsa_name = yes
            ess_cert_id_chain = no
            ess_cert_id_alg = sha256
            """);
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static async Task RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start.");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed: {await error}");
    }

    public async ValueTask DisposeAsync()
    {
        if (app is null) return;
        await app.DisposeAsync();
        app = null;
        openssl.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
