#if DEBUG
    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Musl)
        import Musl
    #endif

    /// Debug builds only: the state behind ``PowerLossSimulator``: each file's bytes now and as last synced,
    /// the changes in between, and the directory entries now and as last made durable.
    struct SimulatedDisk {
        /// One file (an inode: several paths can name it).
        struct File {
            /// One change to a file's bytes or size.
            enum Change {
                case write(offset: Int, bytes: [UInt8])
                case truncate(length: Int)
            }

            /// The bytes as the process sees them.
            var current: [UInt8]
            /// The bytes as of the last sync.
            var durable: [UInt8]
            /// Changes since the last sync, in order.
            var pending: [Change] = []

            mutating func write(_ bytes: [UInt8], at offset: Int) {
                if current.count < offset + bytes.count {
                    current += [UInt8](repeating: 0, count: offset + bytes.count - current.count)
                }
                current.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
                pending.append(.write(offset: offset, bytes: bytes))
            }

            mutating func truncate(to length: Int) {
                Self.resize(&current, to: length)
                pending.append(.truncate(length: length))
            }

            mutating func makeDurable() {
                durable = current
                pending = []
            }

            /// The bytes after a crash: the durable bytes with each pending change applied, in order, in part
            /// or not at all as `fates` decides.
            func afterCrash(_ fates: inout Fates, _ report: inout PowerLossSimulator.CrashReport) -> [UInt8] {
                // `content` may hold written bytes beyond `size` (data whose size update was lost); a later
                // size increase exposes them, as it would expose blocks written before the crash.
                var content = durable
                var size = durable.count
                let sector = PowerLossSimulator.sectorBytes
                for change in pending {
                    switch change {
                    case .truncate(let length):
                        if fates.happens() {
                            report.truncationsKept += 1
                            Self.resize(&content, to: length)
                            size = length
                        } else {
                            report.truncationsLost += 1
                        }
                    case .write(let offset, let bytes):
                        guard !bytes.isEmpty else { continue }
                        let end = offset + bytes.count
                        if content.count < end { content += [UInt8](repeating: 0, count: end - content.count) }
                        for index in (offset / sector)...((end - 1) / sector) {
                            let low = max(offset, index * sector)
                            let high = min(end, (index + 1) * sector)
                            switch fates.sector() {
                            case .kept:
                                report.sectorsKept += 1
                                content.replaceSubrange(low..<high, with: bytes[(low - offset)..<(high - offset)])
                            case .dropped:
                                report.sectorsDropped += 1
                            case .garbled:
                                report.sectorsGarbled += 1
                                content.replaceSubrange(low..<high, with: fates.garbage(high - low))
                            }
                        }
                        if end > size {
                            if fates.happens() {
                                report.sizeIncreasesKept += 1
                                size = end
                            } else {
                                report.sizeIncreasesLost += 1
                            }
                        }
                    }
                }
                Self.resize(&content, to: size)
                return content
            }

            /// Cuts `bytes` to `length`, or extends it with zeros.
            static func resize(_ bytes: inout [UInt8], to length: Int) {
                if bytes.count > length {
                    bytes.removeSubrange(length...)
                } else {
                    bytes += [UInt8](repeating: 0, count: length - bytes.count)
                }
            }
        }

        /// A directory change not yet made durable.
        enum EntryChange {
            case add(path: String, file: Int)
            case remove(path: String)

            var path: String {
                switch self {
                case .add(let path, _), .remove(let path): path
                }
            }
        }

        /// What becomes of each change at a crash, drawn from a ``PowerLossSimulator/CrashPolicy``.
        struct Fates {
            enum SectorFate { case kept, dropped, garbled }

            let policy: PowerLossSimulator.CrashPolicy
            var random: SplitMix64

            init(_ policy: PowerLossSimulator.CrashPolicy) {
                self.policy = policy
                if case .random(let seed) = policy {
                    random = SplitMix64(seed: seed)
                } else {
                    random = SplitMix64(seed: 0)
                }
            }

            mutating func next() -> UInt64 { random.next() }

            /// Whether a truncation, a size increase or a directory change survives.
            mutating func happens() -> Bool {
                switch policy {
                case .keepEverything: true
                case .loseEverything: false
                case .random: next() & 1 == 0
                }
            }

            mutating func sector() -> SectorFate {
                switch policy {
                case .keepEverything: .kept
                case .loseEverything: .dropped
                case .random: [SectorFate.kept, .dropped, .garbled][Int(next() % 3)]
                }
            }

            mutating func garbage(_ count: Int) -> [UInt8] {
                (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
            }
        }

        let crashPoint: Int?
        let flushesHonoured: Bool
        var syncPoints = 0
        var crashed = false
        var files: [File] = []
        /// Open descriptors → index in ``files``.
        var descriptors: [Int32: Int] = [:]
        /// Directory entries as the process sees them: path → index in ``files``.
        var entries: [String: Int] = [:]
        /// Directory entries as of the last directory syncs.
        var durableEntries: [String: Int] = [:]
        /// Directory changes since, in order.
        var pendingEntryChanges: [EntryChange] = []

        init(crashPoint: Int?, flushesHonoured: Bool) {
            self.crashPoint = crashPoint
            self.flushesHonoured = flushesHonoured
        }

        /// Records a successful `open`. A file first seen here that the open did not create is taken to be
        /// durable as it is.
        mutating func opened(_ fd: Int32, path: String, created: Bool, truncated: Bool) -> Result<Int32, Errno> {
            let file: Int
            if created {
                file = files.count
                files.append(File(current: [], durable: []))
                entries[path] = file
                pendingEntryChanges.append(.add(path: path, file: file))
            } else if let known = entries[path] {
                file = known
            } else {
                switch Self.contents(of: path) {
                case .success(let bytes):
                    file = files.count
                    files.append(File(current: bytes, durable: bytes))
                    entries[path] = file
                    durableEntries[path] = file
                case .failure(let error):
                    SystemCalls.close(fd)
                    return .failure(error)
                }
            }
            if truncated { files[file].truncate(to: 0) }
            descriptors[fd] = file
            return .success(fd)
        }

        mutating func wrote(_ fd: Int32, _ bytes: [UInt8], at offset: Int64) {
            guard let file = descriptors[fd] else { return }
            files[file].write(bytes, at: Int(offset))
        }

        mutating func truncated(_ fd: Int32, to length: Int64) {
            guard let file = descriptors[fd] else { return }
            files[file].truncate(to: Int(length))
        }

        mutating func linked(_ from: String, _ to: String) {
            guard let file = entries[from] else { return }
            entries[to] = file
            pendingEntryChanges.append(.add(path: to, file: file))
        }

        mutating func unlinked(_ path: String) {
            guard entries.removeValue(forKey: path) != nil else { return }
            pendingEntryChanges.append(.remove(path: path))
        }

        /// A sync point. Returns false when the power goes here (or went before).
        mutating func reachSyncPoint() -> Bool {
            if crashed { return false }
            syncPoints += 1
            if syncPoints == crashPoint { crashed = true }
            return !crashed
        }

        /// `fsync`/`fdatasync` of a file: its bytes and size become durable.
        mutating func sync(_ fd: Int32) -> Bool {
            guard reachSyncPoint() else { return false }
            if flushesHonoured, let file = descriptors[fd] { files[file].makeDurable() }
            return true
        }

        /// `fsync` of the directory holding `path`: its entry changes become durable.
        mutating func syncDirectory(of path: String) -> Bool {
            guard reachSyncPoint() else { return false }
            guard flushesHonoured else { return true }
            let directory = FilePath.directory(of: path)
            var later: [EntryChange] = []
            for change in pendingEntryChanges {
                guard FilePath.directory(of: change.path) == directory else {
                    later.append(change)
                    continue
                }
                Self.apply(change, to: &durableEntries)
            }
            pendingEntryChanges = later
            return true
        }

        /// The disk after a crash: each file that has a path then, with its paths and bytes; what happened;
        /// and every path the simulator knows (to be cleared before the files are written).
        mutating func afterCrash(_ policy: PowerLossSimulator.CrashPolicy)
            -> (files: [(paths: [String], content: [UInt8])], report: PowerLossSimulator.CrashReport, touched: [String])
        {
            var fates = Fates(policy)
            var report = PowerLossSimulator.CrashReport()
            var survivors = durableEntries
            for change in pendingEntryChanges {
                if fates.happens() {
                    report.entryChangesKept += 1
                    Self.apply(change, to: &survivors)
                } else {
                    report.entryChangesLost += 1
                }
            }
            report.forgottenPaths = entries.keys.filter { survivors[$0] == nil }.sorted()
            var pathsOfFile: [Int: [String]] = [:]
            for (path, file) in survivors.sorted(by: { $0.key < $1.key }) {
                pathsOfFile[file, default: []].append(path)
            }
            var result: [(paths: [String], content: [UInt8])] = []
            for (file, paths) in pathsOfFile.sorted(by: { $0.key < $1.key }) {
                result.append((paths, files[file].afterCrash(&fates, &report)))
            }
            let known = Set(entries.keys).union(durableEntries.keys).union(pendingEntryChanges.map(\.path))
            return (result, report, known.sorted())
        }

        private static func apply(_ change: EntryChange, to entries: inout [String: Int]) {
            switch change {
            case .add(let path, let file): entries[path] = file
            case .remove(let path): entries[path] = nil
            }
        }

        /// The whole content of the file at `path`.
        private static func contents(of path: String) -> Result<[UInt8], Errno> {
            SystemCalls.open(path, O_RDONLY).flatMap { fd in
                defer { SystemCalls.close(fd) }
                return SystemCalls.fileSize(fd).flatMap { size in
                    var bytes = [UInt8](repeating: 0, count: Int(size))
                    return bytes.withUnsafeMutableBytes { SystemCalls.preadFully(fd, into: $0, at: 0) }.map { count in
                        Array(bytes.prefix(count))
                    }
                }
            }
        }
    }
#endif
