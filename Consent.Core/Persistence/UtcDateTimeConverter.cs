using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Consent.Core.Persistence;

/// <summary>Marks every stored time as UTC, which it is: Npgsql writes only UTC times to timestamptz.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
