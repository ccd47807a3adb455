import ParleyCLI

#if canImport(Glibc)
    import Glibc
#endif

exit(ParleyCommandLine.main(CommandLine.arguments))
