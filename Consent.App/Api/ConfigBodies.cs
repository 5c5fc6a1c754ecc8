using System.Collections.Concurrent;
using System.Text.Json;
using Consent.Core.Snapshot;

namespace Consent.App.Api;

/// <summary>
/// The config's bytes and ETag per language (and address of the policy page), made once from the snapshot in force and kept until
/// the snapshot is replaced: a config request serialises nothing.
/// </summary>
public sealed class ConfigBodies
{
    private sealed record Kept(CenterSnapshot Snapshot, ConcurrentDictionary<(string Language, string PolicyUrl), ConfigBody> Bodies);

    // Languages × the hosts AllowedHosts lets through: a handful. More means hosts are not filtered, and nothing more is kept.
    private const int MaxKept = 32;

    private volatile Kept kept = new(null!, new());

    public ConfigBody Of(CenterSnapshot snapshot, string language, string policyUrl, JsonSerializerOptions json)
    {
        var current = kept;
        if (!ReferenceEquals(current.Snapshot, snapshot))
        {
            current = new Kept(snapshot, new());
            kept = current;
        }
        if (current.Bodies.TryGetValue((language, policyUrl), out var body)) return body;
        body = ConsentApi.ConfigBodyOf(snapshot, language, policyUrl, json);
        if (current.Bodies.Count < MaxKept) current.Bodies[(language, policyUrl)] = body;
        return body;
    }
}
