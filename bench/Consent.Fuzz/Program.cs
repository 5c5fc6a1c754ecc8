using Consent.Fuzz;
using SharpFuzz;

// Under afl-fuzz (bench/fuzz): `Consent.Fuzz <target>` runs the target in SharpFuzz's persistent mode.
// By hand: `Consent.Fuzz <target> <file>...` runs each file once and prints what it breaks.
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Consent.Fuzz <{string.Join('|', FuzzTargets.All.Keys)}> [file...]");
    return 2;
}

if (args.Length > 1)
{
    var broken = 0;
    foreach (var file in args[1..])
    {
        try
        {
            target(File.ReadAllBytes(file));
        }
        catch (Exception e)
        {
            broken++;
            Console.WriteLine($"{file}: {e.GetType().Name}: {e.Message}");
            Console.WriteLine(e.StackTrace);
        }
    }
    return broken == 0 ? 0 : 1;
}

var buffer = new byte[64 * 1024];
Fuzzer.Run(stream =>
{
    var length = 0;
    int read;
    while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0) length += read;
    target(buffer.AsSpan(0, length));
});
return 0;
