using Consent.Core.Members;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Consent.App.Members;

/// <summary>
/// Identity's user manager for members. The team's and the members' managers share Identity's options, whose token providers
/// name the team's types; this one registers the members' own provider for e-mail confirmation, password reset and e-mail change
/// links (Data Protection, expiring with <see cref="DataProtectionTokenProviderOptions.TokenLifespan"/>).
/// </summary>
public sealed class MemberManager : UserManager<Member>
{
    public MemberManager(IUserStore<Member> store, IOptions<IdentityOptions> optionsAccessor, IPasswordHasher<Member> passwordHasher,
        IEnumerable<IUserValidator<Member>> userValidators, IEnumerable<IPasswordValidator<Member>> passwordValidators, ILookupNormalizer keyNormalizer,
        IdentityErrorDescriber errors, IServiceProvider services, ILogger<UserManager<Member>> logger, DataProtectorTokenProvider<Member> tokens)
        : base(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
    {
        RegisterTokenProvider(TokenOptions.DefaultProvider, tokens);
    }
}
