using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Consent.Core.Persistence;

/// <summary>A GUID as its 16 bytes in RFC 9562 order, so that version-7 ids (time first) sort by time in an index.</summary>
public sealed class BigEndianGuidConverter() : ValueConverter<Guid, byte[]>(
    v => ToBytes(v),
    v => FromBytes(v))
{
    private static byte[] ToBytes(Guid value) => value.ToByteArray(bigEndian: true);

    private static Guid FromBytes(byte[] value) => new(value, bigEndian: true);
}
