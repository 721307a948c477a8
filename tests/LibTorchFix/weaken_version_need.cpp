// weaken_version_need FILE VERSION
//
// Marks the need for symbol version VERSION (e.g. GLIBCXX_3.4.32) in the ELF shared object FILE as weak,
// by setting VER_FLG_WEAK in the matching Elf64_Vernaux.vna_flags of the .gnu.version_r section
// (SHT_GNU_verneed). The dynamic loader then no longer refuses to load FILE when no loaded library
// defines VERSION (glibc's _dl_check_map_versions only reports weak needs under LD_DEBUG).
// patchelf (0.14, Debian 12) cannot do this, and binutils has no tool for it; it is a two-byte edit.
//
// Symbols that still carry that version would fail to bind, so the caller first moves them to the
// global version (patchelf --clear-symbol-version). Idempotent: a need that is already weak is left alone.
// Exit codes: 0 marked (or already weak), 1 usage or I/O error, 2 not a 64-bit little-endian ELF file,
// 3 FILE does not need VERSION.
#include <elf.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

namespace
{
    template <typename T>
    bool read_at(const std::vector<char>& image, std::size_t offset, T& value)
    {
        if (offset > image.size() || image.size() - offset < sizeof(T)) return false;
        std::memcpy(&value, image.data() + offset, sizeof(T));
        return true;
    }
}

int main(int argc, char** argv)
{
    if (argc != 3)
    {
        std::fprintf(stderr, "usage: %s FILE VERSION\n", argv[0]);
        return 1;
    }
    const char* path = argv[1];
    const char* version = argv[2];

    std::vector<char> image;
    {
        std::ifstream in(path, std::ios::binary);
        if (!in) { std::fprintf(stderr, "%s: cannot open\n", path); return 1; }
        image.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }

    Elf64_Ehdr header;
    if (!read_at(image, 0, header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0
        || header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB
        || header.e_shentsize != sizeof(Elf64_Shdr))
    {
        std::fprintf(stderr, "%s: not a 64-bit little-endian ELF file\n", path);
        return 2;
    }

    for (unsigned s = 0; s < header.e_shnum; s++)
    {
        Elf64_Shdr section;
        if (!read_at(image, header.e_shoff + s * sizeof(Elf64_Shdr), section)) return 2;
        if (section.sh_type != SHT_GNU_verneed) continue;

        Elf64_Shdr strings; // the names of needed files and versions live in the section sh_link points to
        if (!read_at(image, header.e_shoff + section.sh_link * sizeof(Elf64_Shdr), strings)) return 2;

        std::size_t need_offset = section.sh_offset;
        for (;;)
        {
            Elf64_Verneed need;
            if (!read_at(image, need_offset, need)) return 2;
            std::size_t aux_offset = need_offset + need.vn_aux;
            for (unsigned a = 0; a < need.vn_cnt; a++)
            {
                Elf64_Vernaux aux;
                if (!read_at(image, aux_offset, aux)) return 2;
                std::size_t name_offset = strings.sh_offset + aux.vna_name;
                if (name_offset < image.size()
                    && std::strncmp(image.data() + name_offset, version, image.size() - name_offset) == 0)
                {
                    if (aux.vna_flags & VER_FLG_WEAK)
                    {
                        std::printf("%s: need for %s is already weak\n", path, version);
                        return 0;
                    }
                    aux.vna_flags |= VER_FLG_WEAK;
                    std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
                    out.seekp(static_cast<std::streamoff>(aux_offset));
                    out.write(reinterpret_cast<const char*>(&aux), sizeof aux);
                    if (!out) { std::fprintf(stderr, "%s: cannot write\n", path); return 1; }
                    std::printf("%s: need for %s marked weak\n", path, version);
                    return 0;
                }
                if (aux.vna_next == 0) break;
                aux_offset += aux.vna_next;
            }
            if (need.vn_next == 0) break;
            need_offset += need.vn_next;
        }
    }
    std::fprintf(stderr, "%s: does not need version %s\n", path, version);
    return 3;
}
