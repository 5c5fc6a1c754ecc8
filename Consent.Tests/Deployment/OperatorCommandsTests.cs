using Consent.App;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Deployment;

/// <summary>The commands docs/deployment.md gives an operator, run as the operator runs them: the built app in a process of its own.</summary>
public abstract class OperatorCommandsTests(TestEngine engine) : IAsyncLifetime
{
    public sealed class OnSqlite() : OperatorCommandsTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : OperatorCommandsTests(TestEngine.Postgres);

    private const string AdminEmail = "privacy@example.org";
    private ScratchDatabase database = null!;

    public async ValueTask InitializeAsync() => database = await ScratchDatabase.CreateAsync(engine, migrated: false);

    public async ValueTask DisposeAsync()
    {
        if (database is not null) await database.DisposeAsync();
    }

    private Dictionary<string, string> Environment(bool migrateOnStart = true) => new()
    {
        ["Consent__Database__Provider"] = database.Options.Provider.ToString(),
        ["ConnectionStrings__Consent"] = database.ConnectionString,
        ["Consent__Database__MigrateOnStart"] = migrateOnStart ? "true" : "false",
        ["Consent__Admin__Email"] = AdminEmail,
        ["Consent__Admin__Password"] = "correct horse battery staple",
    };

    private ConsentDbContext Context() => ConsentDbContextFactory.For(database.Options).CreateDbContext();

    [Fact]
    public async Task Migrate_only_prepares_the_database_and_an_instance_with_migrations_off_then_starts_on_it()
    {
        var (exitCode, output) = await AppProcess.RunCommandAsync(Environment(), CenterCommands.MigrateOnly);
        await using (var db = Context())
        {
            Assert.True(exitCode == 0, output);
            Assert.Contains("database is migrated and seeded", output);
            Assert.Equal((3, 1, 0), (await db.Categories.CountAsync(), await db.PolicyVersions.CountAsync(), await db.Users.CountAsync()));
        }

        await using var instance = new AppProcess(Environment(migrateOnStart: false));
        await instance.StartAsync();

        await using var after = Context();
        Assert.Equal(AdminEmail, await after.Users.Select(u => u.Email).SingleAsync());
        Assert.Contains("First Admin of the privacy-team center created from configuration", instance.Output);
    }

    [Fact]
    public async Task An_instance_with_migrations_off_refuses_a_database_the_deploy_step_did_not_prepare()
    {
        var (exitCode, output) = await AppProcess.RunCommandAsync(Environment(migrateOnStart: false), "--urls=http://127.0.0.1:0");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("The database does not exist yet and Consent:Database:MigrateOnStart is false", output);
    }

    [Fact]
    public async Task Rotating_the_cookie_key_adds_a_key_that_signs_later_and_creates_no_account()
    {
        await AppProcess.RunCommandAsync(Environment(), CenterCommands.MigrateOnly);

        var (exitCode, output) = await AppProcess.RunCommandAsync(Environment(), CenterCommands.RotateConsentCookieKey);

        Assert.True(exitCode == 0, output);
        Assert.Contains("A new consent-cookie signing key signs from", output);
        await using var db = Context();
        var keys = await db.SigningKeys.Where(k => k.Purpose == "consent-cookie").OrderBy(k => k.Id).ToListAsync();
        Assert.Equal(2, keys.Count);
        Assert.Equal(Consent.Core.Consents.ConsentCookie.RotationDelay, keys[1].ActivatesAt - keys[1].CreatedAt);
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task Rotating_the_log_key_adds_a_key_under_a_new_name_and_prints_its_verifier_key()
    {
        await AppProcess.RunCommandAsync(Environment(), CenterCommands.MigrateOnly);

        var (exitCode, output) = await AppProcess.RunCommandAsync(Environment(), CenterCommands.RotateLogKey);

        Assert.True(exitCode == 0, output);
        await using var db = Context();
        var keys = await db.SigningKeys.Where(k => k.Purpose == "log-checkpoint").OrderBy(k => k.Id).ToListAsync();
        Assert.Equal(["consent-center.local/log", "consent-center.local/log/2"], keys.Select(k => k.Name));
        var printed = Consent.Core.Log.Checkpoints.NoteVerifier.FromPublicKey(keys[1].Name!, keys[1].PublicKey!).KeyText;
        Assert.Contains($"A new log key signs checkpoints from {keys[1].ActivatesAt:u}: {printed}", output);
        Assert.DoesNotContain("PRIVATE+KEY", output);
        Assert.Equal(Consent.Core.Log.Checkpoints.CheckpointService.RotationDelay, keys[1].ActivatesAt - keys[1].CreatedAt);
        Assert.Equal(0, await db.Users.CountAsync());
    }
}
