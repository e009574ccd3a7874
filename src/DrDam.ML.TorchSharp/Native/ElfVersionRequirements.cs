using System.Buffers.Binary;
using System.Text;

namespace DrDam.ML.Native;

/// <summary>
/// Reads and edits the symbol-version requirements (SHT_GNU_verneed, ".gnu.version_r") of a 64-bit
/// little-endian ELF shared library: the records that make the dynamic loader refuse a library whose
/// required versions (e.g. GLIBCXX_3.4.32) the system lacks. See docs/NATIVE.md.
/// </summary>
public static class ElfVersionRequirements
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Every (file, version) requirement with its flags.</summary>
    public static IReadOnlyList<(string File, string Version, bool Weak)> Read(ReadOnlySpan<byte> elf)
    {
        var result = new List<(string, string, bool)>();
        foreach (var (file, version, flags) in Walk(elf))
            result.Add((file, version, (BinaryPrimitives.ReadUInt16LittleEndian(elf[flags..]) & VerFlagWeak) != 0));
        return result;
    }

    /// <summary>
    /// Marks the requirement of <paramref name="version"/> weak (vna_flags |= VER_FLG_WEAK), the one edit
    /// docs/NATIVE.md verifies; nothing else changes. Returns whether the requirement was present.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a 64-bit little-endian ELF file, or its tables are out of range.</exception>
    public static bool MarkWeak(Span<byte> elf, string version)
    {
        var offsets = Walk(elf).Where(r => r.Version == version).Select(r => r.FlagsOffset).ToList();
        foreach (var offset in offsets)
            BinaryPrimitives.WriteUInt16LittleEndian(elf[offset..], (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(elf[offset..]) | VerFlagWeak));
        return offsets.Count > 0;
    }

    // Every Vernaux record: its file, version name, and the offset of its vna_flags.
    private static List<(string File, string Version, int FlagsOffset)> Walk(ReadOnlySpan<byte> elf)
    {
        var records = new List<(string, string, int)>();
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("Not an ELF file (missing \\x7fELF magic).");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"Only 64-bit little-endian ELF is supported (class {elf[4]}, data {elf[5]}).");
        var sectionTable = Offset(elf, BinaryPrimitives.ReadInt64LittleEndian(elf[0x28..]), "section table");
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        for (var i = 0; i < count; i++)
        {
            var header = Offset(elf, sectionTable + (long)i * entrySize, "section header");
            if (BinaryPrimitives.ReadUInt32LittleEndian(elf[(header + 4)..]) != ShtGnuVerneed)
                continue;
            var link = BinaryPrimitives.ReadInt32LittleEndian(elf[(header + 40)..]);
            var strings = Offset(elf, BinaryPrimitives.ReadInt64LittleEndian(elf[(Offset(elf, sectionTable + (long)link * entrySize, "string table header") + 24)..]), "string table");
            var need = Offset(elf, BinaryPrimitives.ReadInt64LittleEndian(elf[(header + 24)..]), "version requirements");
            while (true)
            {
                // Elf64_Verneed {vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32}
                var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
                var file = Name(elf, strings, BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 4)..]));
                var aux = Offset(elf, need + (long)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]), "version requirement");
                for (var j = 0; j < auxCount; j++)
                {
                    // Elf64_Vernaux {vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32}
                    records.Add((file, Name(elf, strings, BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..])), aux + 4));
                    aux = Offset(elf, aux + (long)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]), "version requirement");
                }
                var next = BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
                if (next == 0)
                    break;
                need = Offset(elf, need + (long)next, "version requirement");
            }
        }
        return records;
    }

    private static int Offset(ReadOnlySpan<byte> elf, long offset, string what)
        => offset >= 0 && offset + 16 <= elf.Length ? (int)offset : throw new InvalidDataException($"ELF {what} at offset {offset} lies outside the file ({elf.Length} bytes).");

    private static string Name(ReadOnlySpan<byte> elf, int strings, uint offset)
    {
        var start = Offset(elf, strings + (long)offset, "string");
        var length = elf[start..].IndexOf((byte)0);
        return length < 0 ? throw new InvalidDataException("Unterminated ELF string.") : Encoding.ASCII.GetString(elf.Slice(start, length));
    }
}
