// Stand-in for the one libstdc++ symbol that libLibTorchSharp.so (TorchSharp 0.107.0, built with GCC 13)
// needs from GLIBCXX_3.4.32 and that GCC 12's libstdc++ (Debian 12) lacks.
//
// Since GCC 13, <iostream> no longer puts a static std::ios_base::Init in every translation unit; instead each
// such unit references std::ios_base_library_init() so that libstdc++'s own initialiser of std::cout & co.
// is linked in. With an older libstdc++ nothing else guarantees that initialisation, so this library does
// what GCC 12's <iostream> did: it owns a std::ios_base::Init, constructed when the library is loaded
// (before libLibTorchSharp.so's own constructors, because the loader initialises dependencies first).
// The function itself only has to exist.
#include <ios>

namespace
{
    const std::ios_base::Init iostreams_initialised;
}

namespace std
{
    __attribute__((visibility("default"))) void ios_base_library_init() {}
}
