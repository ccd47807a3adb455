#if DEBUG
    import Synchronization

    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Musl)
        import Musl
    #endif

    /// Debug builds only: simulated power loss for the files a log's writer and repair change.
    ///
    /// Its ``operations`` wrap the real system calls (``FileOperations/system``): every write, truncation and
    /// directory change really happens, so the code under test reads what it wrote, as it would from the page
    /// cache. Beside that, the simulator keeps what the disk holds *durably*: a file's bytes as of its last
    /// `fsync`/`fdatasync`, and a directory's entries as of its last `fsync`. Syncs are only recorded (no
    /// real sync is made: the model, not the disk, decides what survives).
    ///
    /// Every `fsync`, `fdatasync` and directory `fsync` is a *sync point*, numbered from 1 in call order.
    /// At sync point ``init(crashingAtSyncPoint:flushes:)``'s `crashPoint` the power goes: that call fails with
    /// ``crashErrno`` without syncing, and so does every later call (nothing happens any more). Then
    /// ``materializeCrash(_:)`` replaces the files on disk with one state the disk could be in after the power
    /// came back, chosen by a ``CrashPolicy``: each write not yet synced is kept, dropped or garbled sector by
    /// sector (512 bytes); each truncation not yet synced and each size increase happens or not; each
    /// created, linked or removed directory entry not yet made durable by a directory `fsync` persists or not
    /// (so a new file can be forgotten entirely, and a removed one come back).
    ///
    /// What the model assumes (see docs/RELIABILITY.md): a sync that returns made the file's data and size
    /// durable; a sector written is either old, new, or garbage, and a write never damages bytes of its
    /// sectors that it did not write ("powersafe overwrite", as SQLite calls it); directory changes become
    /// durable only through a directory `fsync`.
    final class PowerLossSimulator: Sendable {
        /// How a disk treats flushes.
        enum Flushes: Sendable {
            /// A sync makes data durable, as it should.
            case honoured
            /// Syncs return success and make nothing durable: a disk whose cache lies. Tests use it to show
            /// that their checks catch lost acknowledged data.
            case ignored
        }

        /// Which of the changes not yet durable survive a crash.
        enum CrashPolicy: Sendable, Hashable, CustomStringConvertible {
            /// Every change survives (as if the crash came just after the last call).
            case keepEverything
            /// No change survives (the disk holds what the last syncs made durable).
            case loseEverything
            /// Each sector, truncation, size increase and directory change decided by a seeded generator:
            /// sectors kept, dropped or garbled with equal odds; the others happen or not with equal odds.
            case random(seed: UInt64)

            var description: String {
                switch self {
                case .keepEverything: "keep everything"
                case .loseEverything: "lose everything"
                case .random(let seed): "random (seed \(seed))"
                }
            }
        }

        /// What one crash did to the changes that were not durable.
        struct CrashReport: Sendable, Equatable {
            var sectorsKept = 0
            var sectorsDropped = 0
            var sectorsGarbled = 0
            var truncationsKept = 0
            var truncationsLost = 0
            var sizeIncreasesKept = 0
            var sizeIncreasesLost = 0
            var entryChangesKept = 0
            var entryChangesLost = 0
            /// Paths that existed before the crash and do not after it.
            var forgottenPaths: [String] = []
        }

        /// The errno of the call that met the crash, and of every call after it: "State not recoverable".
        static let crashErrno = Errno(ENOTRECOVERABLE)

        /// Bytes the disk writes atomically.
        static let sectorBytes = 512

        private let state: Mutex<SimulatedDisk>

        /// A simulator that crashes at sync point `crashPoint` (1-based), or never when it is `nil`.
        init(crashingAtSyncPoint crashPoint: Int?, flushes: Flushes = .honoured) {
            state = Mutex(SimulatedDisk(crashPoint: crashPoint, flushesHonoured: flushes == .honoured))
        }

        /// Sync points reached so far, the one that crashed included.
        var syncPoints: Int { state.withLock { $0.syncPoints } }

        /// Whether the power has gone.
        var hasCrashed: Bool { state.withLock { $0.crashed } }

        /// The file operations to hand to the code under test.
        var operations: FileOperations {
            let real = FileOperations.system
            let crashed = Result<Void, Errno>.failure(Self.crashErrno)
            return FileOperations(
                open: { path, flags, mode in
                    self.state.withLock { model -> Result<Int32, Errno> in
                        if model.crashed { return .failure(Self.crashErrno) }
                        let existed = SystemCalls.exists(path)
                        return real.open(path, flags, mode).flatMap { fd in
                            model.opened(fd, path: path, created: !existed, truncated: flags & O_TRUNC != 0)
                        }
                    }
                },
                close: { fd in
                    self.state.withLock { model in
                        model.descriptors[fd] = nil
                        real.close(fd)
                    }
                },
                pwrite: { fd, buffer, offset in
                    self.state.withLock { model -> Result<Int, Errno> in
                        if model.crashed { return .failure(Self.crashErrno) }
                        return real.pwrite(fd, buffer, offset).map { count in
                            model.wrote(fd, Array(buffer.prefix(count)), at: offset)
                            return count
                        }
                    }
                },
                fdatasync: { fd in self.state.withLock { $0.sync(fd) ? .success(()) : crashed } },
                fsync: { fd in self.state.withLock { $0.sync(fd) ? .success(()) : crashed } },
                ftruncate: { fd, length in
                    self.state.withLock { model -> Result<Void, Errno> in
                        if model.crashed { return crashed }
                        return real.ftruncate(fd, length).map { model.truncated(fd, to: length) }
                    }
                },
                link: { from, to in
                    self.state.withLock { model -> Result<Void, Errno> in
                        if model.crashed { return crashed }
                        return real.link(from, to).map { model.linked(from, to) }
                    }
                },
                unlink: { path in
                    self.state.withLock { model -> Result<Void, Errno> in
                        if model.crashed { return crashed }
                        return real.unlink(path).map { model.unlinked(path) }
                    }
                },
                fsyncDirectory: { path in self.state.withLock { $0.syncDirectory(of: path) ? .success(()) : crashed } }
            )
        }

        /// Cuts the power now if it has not gone yet, then rewrites every file the simulator saw so that the
        /// disk holds one state it could hold after the crash, as `policy` picks it. Files the simulator never
        /// saw are left alone.
        /// - Returns: what became of the changes that were not durable.
        /// - Throws: ``LogError`` `.io` if the files cannot be rewritten.
        @discardableResult
        func materializeCrash(_ policy: CrashPolicy) throws(LogError) -> CrashReport {
            let (files, report, touched) = state.withLock { model in
                model.crashed = true
                return model.afterCrash(policy)
            }
            for path in touched {
                if case .failure(let error) = SystemCalls.unlink(path), error != .noEntry {
                    throw LogError.io("unlink", error, path: path)
                }
            }
            for file in files {
                try Self.write(file.content, to: file.paths[0])
                for other in file.paths.dropFirst() {
                    if case .failure(let error) = SystemCalls.link(file.paths[0], other) {
                        throw LogError.io("link", error, path: other)
                    }
                }
            }
            return report
        }

        private static func write(_ content: [UInt8], to path: String) throws(LogError) {
            let fd: Int32
            switch SystemCalls.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600) {
            case .success(let descriptor): fd = descriptor
            case .failure(let error): throw LogError.io("open", error, path: path)
            }
            defer { SystemCalls.close(fd) }
            if case .failure(let error) = content.withUnsafeBytes({ SystemCalls.writeFully(fd, $0) }) {
                throw LogError.io("write", error, path: path)
            }
        }
    }
#endif
