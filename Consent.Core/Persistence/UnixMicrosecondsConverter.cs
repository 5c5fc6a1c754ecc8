using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Consent.Core.Persistence;

/// <summary>A UTC time as whole microseconds since 1970-01-01 (what SQLite stores); read back as UTC.</summary>
public sealed class UnixMicrosecondsConverter() : ValueConverter<DateTime, long>(
    v => (v.Ticks - UnixEpochTicks) / TicksPerMicrosecond,
    v => new DateTime(v * TicksPerMicrosecond + UnixEpochTicks, DateTimeKind.Utc))
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;
    private const long TicksPerMicrosecond = 10;
}
