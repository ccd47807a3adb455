/// The wall clock writers use for commit times by default.
public enum SystemClock {
    /// Nanoseconds since the Unix epoch (`clock_gettime(CLOCK_REALTIME)`).
    public static let now: @Sendable () -> Int64 = { SystemCalls.wallClockNanoseconds() }
}
