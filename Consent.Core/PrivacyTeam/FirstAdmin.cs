using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Core.PrivacyTeam;

/// <summary>
/// On a start with no Admin account, creates one: from <c>Consent:Admin:Email</c> and
/// <c>Consent:Admin:Password</c> when they are set, otherwise with a generated password that is
/// printed once, to the console only, and never stored in clear.
/// </summary>
public static class FirstAdmin
{
    public const string DefaultEmail = "admin@localhost";

    /// <summary>Creates the roles and, if no Admin exists, the first Admin. Returns a line to print, or null.</summary>
    public static async Task<string?> EnsureAsync(IServiceProvider services, IConfiguration adminSection)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        foreach (var role in TeamRoles.All)
        {
            if (!await roles.RoleExistsAsync(role)) Check(await roles.CreateAsync(new IdentityRole(role)), $"create the {role} role");
        }
        if ((await users.GetUsersInRoleAsync(TeamRoles.Admin)).Count > 0) return null;

        var email = adminSection["Email"] is { Length: > 0 } configured ? configured.Trim() : DefaultEmail;
        var password = adminSection["Password"];
        var generated = string.IsNullOrEmpty(password);
        if (generated) password = Generate();

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            Check(await users.CreateAsync(user, password!), $"create the first Admin ({email}) from Consent:Admin");
        }
        Check(await users.AddToRoleAsync(user, TeamRoles.Admin), $"make {email} an Admin");
        return generated
            ? $"First Admin of the privacy-team center created: sign in at /account/login as {email} with the password {password} (shown only this once; change it after signing in, or set Consent:Admin:Email and Consent:Admin:Password before the first start)."
            : $"First Admin of the privacy-team center created from configuration: {email}.";
    }

    /// <summary>24 characters from an alphabet without look-alikes, with every class Identity may ask for.</summary>
    public static string Generate()
    {
        const string lower = "abcdefghjkmnpqrstuvwxyz", upper = "ABCDEFGHJKMNPQRSTUVWXYZ", digits = "23456789", symbols = "-_.!@#%+=";
        const string all = lower + upper + digits + symbols;
        var chars = new char[24];
        chars[0] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[1] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        chars[3] = symbols[RandomNumberGenerator.GetInt32(symbols.Length)];
        for (var i = 4; i < chars.Length; i++) chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
