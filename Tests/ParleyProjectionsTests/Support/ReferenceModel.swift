import ParleyEvents
import ParleyProjections

/// The rules of issue #3 written out a second time, as plainly as possible (one pass to find episodes,
/// then every bucket checked against every episode), to compare with ``KPIReport`` on random streams.
/// Only ``Bucketing`` (tested on its own) and ``Percentile`` are shared with the code under test.
struct ReferenceModel {
    struct Episode {
        var conversation: String
        var start: Int64
        var isReopen: Bool
        var channel: Channel?
        var firstResponse: Int64?
        var touches = 0
        var resolved: Int64?
        var category: String?
        var nextStart: Int64?
    }

    struct Bucket: Equatable {
        var label: String
        var messagesByChannel: [Int]
        var newEpisodes = 0
        var reopens = 0
        var firstResponses: [Double] = []
        var resolutions: [Double] = []
        var touches = 0
        var firstContact = 0
        var firstContactPending = 0
        var backlogEnd = 0
        /// The episodes open at the end, to show that some conversations had more than one.
        var backlogEpisodes = 0
    }

    var episodes: [Episode] = []
    var messages: [(at: Int64, channel: Channel)] = []
    var times: [Int64] = []
    var repliesOutside = 0
    var resolvesOutside = 0

    init(_ events: [Event]) {
        var open: [String: Int] = [:]
        var latest: [String: Int] = [:]
        var category: [String: String] = [:]
        func start(_ conversation: String, _ at: Int64, _ channel: Channel?) {
            if let previous = latest[conversation] { episodes[previous].nextStart = at }
            episodes.append(
                Episode(conversation: conversation, start: at, isReopen: latest[conversation] != nil, channel: channel))
            open[conversation] = episodes.count - 1
            latest[conversation] = episodes.count - 1
        }
        for event in events {
            let at = event.at.nanoseconds
            times.append(at)
            switch event.payload {
            case .messageReceived(let message):
                messages.append((at, message.channel))
                if open[message.conversation] == nil { start(message.conversation, at, message.channel) }
            case .replySent(let reply) where !reply.isAutomatic:
                if let index = open[reply.conversation] {
                    episodes[index].touches += 1
                    if episodes[index].firstResponse == nil { episodes[index].firstResponse = at }
                } else {
                    repliesOutside += 1
                }
            case .statusChanged(let change):
                if change.status == .resolved {
                    if let index = open[change.conversation] {
                        episodes[index].resolved = at
                        episodes[index].category = category[change.conversation]
                        open[change.conversation] = nil
                    } else {
                        resolvesOutside += 1
                    }
                } else if open[change.conversation] == nil {
                    start(change.conversation, at, nil)
                }
            case .categorized(let categorized):
                category[categorized.conversation] = categorized.category
            default:
                break
            }
        }
        for (conversation, index) in open { episodes[index].category = category[conversation] }
    }

    /// The buckets from the first to the last event time, and the number of negative durations clamped.
    func buckets(_ size: Bucketing.Size, channel: Channel? = nil, category: String? = nil) -> (
        buckets: [Bucket], negativeDurations: Int
    ) {
        guard let earliest = times.min(), let horizon = times.max() else { return ([], 0) }
        let bucketing = Bucketing(size)
        let week: Int64 = 7 * 86_400 * 1_000_000_000
        var negative = 0
        func seconds(_ from: Int64, _ to: Int64) -> Double {
            if to < from {
                negative += 1
                return 0
            }
            return Double(to - from) / 1e9
        }
        let kept = episodes.filter { episode in
            (channel == nil || episode.channel == channel) && (category == nil || episode.category == category)
        }
        var result: [Bucket] = []
        for index in bucketing.index(of: earliest)...bucketing.index(of: horizon) {
            let end = bucketing.end(of: index)
            var bucket = Bucket(label: bucketing.label(of: index), messagesByChannel: Array(repeating: 0, count: 10))
            for message in messages where bucketing.index(of: message.at) == index {
                if channel == nil || message.channel == channel {
                    bucket.messagesByChannel[Int(message.channel.rawValue)] += 1
                }
            }
            // Backlog: the conversations with an episode open at the end (start < end ≤ resolve).
            let open = kept.filter { $0.start < end && ($0.resolved.map { end <= $0 } ?? true) }
            bucket.backlogEnd = Set(open.map(\.conversation)).count
            bucket.backlogEpisodes = open.count
            for episode in kept {
                guard bucketing.index(of: episode.start) == index else { continue }
                bucket.newEpisodes += 1
                if episode.isReopen { bucket.reopens += 1 }
                bucket.touches += episode.touches
                if let response = episode.firstResponse {
                    bucket.firstResponses.append(seconds(episode.start, response))
                }
                guard let resolved = episode.resolved else { continue }
                bucket.resolutions.append(seconds(episode.start, resolved))
                guard episode.touches == 1 else { continue }
                if let next = episode.nextStart {
                    if next - resolved > week { bucket.firstContact += 1 }
                } else if horizon > resolved + week {
                    bucket.firstContact += 1
                } else {
                    bucket.firstContactPending += 1
                }
            }
            result.append(bucket)
        }
        return (result, negative)
    }
}
