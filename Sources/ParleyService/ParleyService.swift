/// The service layer between the projection engine and the front ends (the `parley` command line, and
/// importers and automations to come). Nothing here renders a report or a warning for people: front ends
/// turn the values into tables, CSV, JSON or sentences. (Errors carry a one-line description, as errors
/// do, for logs and debugging.)
///
/// Every call blocks its thread (file reads, `fdatasync`, waiting for the commit thread): from Swift
/// concurrency, call it on a thread of its own or a Dispatch queue, never on the cooperative pool.
///
/// - Writing: ``EventAppender`` is the one write path into a log (decode, validate, enrich, batch,
///   append, pipelined commits), from JSON Lines or typed events.
/// - Reading: ``LogQueries`` answers typed queries (KPIs, queue, SLA alerts, a conversation, a customer,
///   the policies) within a ``QueryScope``, the one rule for `--as-of`, `--until-seq` and "now".
/// - Failing: ``ServiceError`` carries the code and the context (line, field, committed seqs, log read).
public enum ParleyService {}
