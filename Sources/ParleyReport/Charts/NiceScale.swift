/// A value axis from zero to a round top, with round ticks: steps of 1, 2, 2.5 or 5 times a power of ten,
/// about `tickCount` of them. Computed without logarithms or locale, so the same on every machine.
public struct NiceScale: Equatable, Sendable {
    /// The distance between ticks.
    public let step: Double
    /// The top of the axis: the first multiple of ``step`` at or above the maximum (``step`` when the
    /// maximum is zero or less).
    public let top: Double

    /// A scale for values from zero to `maximum`.
    /// - Parameters:
    ///   - maximum: the largest value to show; zero, negative or not finite gives the axis 0 to 1 step 1
    ///     (integral) or 0 to 1 step 0.2.
    ///   - tickCount: about how many steps (at least 1).
    ///   - integral: whether steps must be whole numbers (counts).
    public init(maximum: Double, tickCount: Int = 5, integral: Bool = false) {
        let count = Double(max(tickCount, 1))
        guard maximum.isFinite, maximum > 0 else {
            step = integral ? 1 : 0.2
            top = 1
            return
        }
        let raw = maximum / count
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        var chosen = magnitude * 10
        for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where factor * magnitude >= raw {
            let candidate = factor * magnitude
            if integral && candidate != candidate.rounded() { continue }
            chosen = candidate
            break
        }
        if integral { chosen = max(chosen, 1) }
        step = chosen
        top = (maximum / chosen).rounded(.up) * chosen
    }

    /// The ticks from zero to ``top``, computed as multiples of ``step`` (no accumulated error).
    public var ticks: [Double] {
        let count = Int((top / step).rounded())
        return (0...count).map { Double($0) * step }
    }

    /// Decimals needed to print every tick exactly (0 to 3).
    public var decimals: Int {
        var scaled = step
        for digits in 0...3 {
            if abs(scaled - scaled.rounded()) < 1e-9 * max(1, scaled) { return digits }
            scaled *= 10
        }
        return 3
    }
}
