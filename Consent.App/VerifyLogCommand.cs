using System.Data.Common;
using Consent.Core.Log;

namespace Consent.App;

/// <summary><c>verify-log</c>: the log checked against its records and checkpoints, printed, and written to the audit trail.</summary>
public static class VerifyLogCommand
{
    /// <summary>The actor the audit trail names for a run from the command line.</summary>
    public const string Actor = "verify-log (command line)";

    /// <summary>Returns the process's exit code: 0 verified, 1 a difference, 2 the database could not be read.</summary>
    public static async Task<int> RunAsync(IServiceProvider services)
    {
        LogVerification result;
        try
        {
            result = await services.GetRequiredService<LogVerifier>().VerifyAsync(Actor);
        }
        catch (DbException ex)
        {
            Console.Error.WriteLine($"verify-log could not read the log: {ex.Message}");
            return 2;
        }
        Console.WriteLine(result.Summary);
        return result.Verified ? 0 : 1;
    }
}
