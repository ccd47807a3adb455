-- Parley's weekly KPI figures (docs/PROJECTIONS.md), computed by SQLite from the table `events` that
-- tools/bench-compare.py loads: one row per event, `seq` = log order (1, 2, ...), `at_ns` = event time in
-- nanoseconds since the epoch (UTC), `is_auto` = the reply's "auto" (NULL when absent: false).
--
-- One row per ISO week (Monday to Sunday, UTC), every week from the first to the last event time:
--   week (index: weeks since Monday 1970-01-05), messages, new_episodes, reopens,
--   frt_count, frt_mean, frt_p50, frt_p90, res_count, res_mean, res_p50, res_p90, backlog_end.
--
-- Episodes: per conversation, in log order (seq), an episode starts at a message_received or a
-- status_changed to open/pending while none is open, and ends at a status_changed to resolved. Whether
-- one is open after an event depends only on that event's kind (start-kind: open; resolved: closed), so
-- an event starts an episode iff it is start-kind and the previous open/close event of its conversation
-- is a resolve or absent; a resolve ends one iff the previous such event is start-kind. Running sums of
-- starts and ends then number the episodes and tell, at each non-automatic reply, whether one is open.
-- Durations: from event times, clamped at 0, in seconds (ns / 1e9). Percentiles: nearest rank, the
-- ceil(q*n)-th smallest, with the same integer arithmetic as Parley: rank = (q*n + 99) / 100.
-- Week of an instant: (floor(ns / 86400e9) - 4) / 7 with integer division, valid for instants after
-- 1970-01-05 (the script checks that every event time is).
WITH RECURSIVE
bounds AS (
    SELECT (min(at_ns) / 86400000000000 - 4) / 7 AS first_week,
           (max(at_ns) / 86400000000000 - 4) / 7 AS last_week
    FROM events
),
weeks(week, last_week) AS (
    SELECT first_week, last_week FROM bounds
    UNION ALL
    SELECT week + 1, last_week FROM weeks WHERE week < last_week
),
state AS (
    SELECT seq, conversation, at_ns,
           (type = 'status_changed' AND status = 'resolved') AS closes,
           lag(type = 'status_changed' AND status = 'resolved')
               OVER (PARTITION BY conversation ORDER BY seq) AS previous_closes
    FROM events
    WHERE type = 'message_received'
       OR (type = 'status_changed' AND status IN ('open', 'pending', 'resolved'))
),
marks AS (
    SELECT seq, conversation, at_ns, NOT closes AS is_start, closes AS is_end, 0 AS is_reply
    FROM state
    WHERE (NOT closes AND (previous_closes IS NULL OR previous_closes))
       OR (closes AND previous_closes = 0)
    UNION ALL
    SELECT seq, conversation, at_ns, 0, 0, 1
    FROM events
    WHERE type = 'reply_sent' AND coalesce(is_auto, 0) = 0
),
numbered AS (
    SELECT seq, conversation, at_ns, is_start, is_end, is_reply,
           sum(is_start) OVER running AS episode,
           sum(is_end) OVER running AS ended
    FROM marks
    WINDOW running AS (PARTITION BY conversation ORDER BY seq ROWS UNBOUNDED PRECEDING)
),
starts AS (SELECT conversation, episode, at_ns AS start_ns FROM numbered WHERE is_start),
ends AS (SELECT conversation, episode, at_ns AS end_ns FROM numbered WHERE is_end),
first_replies AS (
    SELECT conversation, episode, at_ns AS reply_ns
    FROM (
        SELECT conversation, episode, at_ns,
               row_number() OVER (PARTITION BY conversation, episode ORDER BY seq) AS n
        FROM numbered
        WHERE is_reply AND episode > ended
    )
    WHERE n = 1
),
episodes AS (
    SELECT s.conversation, s.episode,
           (s.start_ns / 86400000000000 - 4) / 7 AS week,
           CASE WHEN r.reply_ns IS NOT NULL THEN max(r.reply_ns - s.start_ns, 0) / 1e9 END AS frt,
           CASE WHEN e.end_ns IS NOT NULL THEN max(e.end_ns - s.start_ns, 0) / 1e9 END AS res,
           CASE WHEN e.end_ns IS NOT NULL THEN (e.end_ns / 86400000000000 - 4) / 7 END AS end_week
    FROM starts s
    LEFT JOIN ends e ON e.conversation = s.conversation AND e.episode = s.episode
    LEFT JOIN first_replies r ON r.conversation = s.conversation AND r.episode = s.episode
),
episode_counts AS (
    SELECT week, count(*) AS new_episodes, sum(episode > 1) AS reopens FROM episodes GROUP BY week
),
frt_ranked AS (
    SELECT week, frt AS v, row_number() OVER (PARTITION BY week ORDER BY frt) AS rank,
           count(*) OVER (PARTITION BY week) AS n
    FROM episodes WHERE frt IS NOT NULL
),
frt AS (
    SELECT week, max(n) AS count, avg(v) AS mean,
           max(CASE WHEN rank = (50 * n + 99) / 100 THEN v END) AS p50,
           max(CASE WHEN rank = (90 * n + 99) / 100 THEN v END) AS p90
    FROM frt_ranked GROUP BY week
),
res_ranked AS (
    SELECT week, res AS v, row_number() OVER (PARTITION BY week ORDER BY res) AS rank,
           count(*) OVER (PARTITION BY week) AS n
    FROM episodes WHERE res IS NOT NULL
),
res AS (
    SELECT week, max(n) AS count, avg(v) AS mean,
           max(CASE WHEN rank = (50 * n + 99) / 100 THEN v END) AS p50,
           max(CASE WHEN rank = (90 * n + 99) / 100 THEN v END) AS p90
    FROM res_ranked GROUP BY week
),
-- Backlog at the end of week w: conversations with an episode with start < end(w) <= resolve, i.e.
-- start week <= w < resolve week (an episode resolved before it started, by late event times, is in no
-- backlog). A conversation counts once even when late events make two of its episodes open at once: its
-- spans [start week, resolve week) are merged (gaps and islands: a span starts a new island when it
-- begins after every earlier span of the conversation has ended) before they are counted.
open_spans AS (
    SELECT conversation, week AS lo, coalesce(end_week, 9223372036854775807) AS hi
    FROM episodes WHERE end_week IS NULL OR end_week > week
),
span_reach AS (
    SELECT conversation, lo, hi,
           max(hi) OVER (PARTITION BY conversation ORDER BY lo, hi
                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM open_spans
),
span_islands AS (
    SELECT conversation, lo, hi,
           sum(CASE WHEN reach IS NULL OR lo > reach THEN 1 ELSE 0 END)
               OVER (PARTITION BY conversation ORDER BY lo, hi ROWS UNBOUNDED PRECEDING) AS island
    FROM span_reach
),
merged_spans AS (SELECT min(lo) AS lo, max(hi) AS hi FROM span_islands GROUP BY conversation, island),
backlog_changes AS (
    SELECT lo AS week, 1 AS delta FROM merged_spans
    UNION ALL
    SELECT hi, -1 FROM merged_spans WHERE hi < 9223372036854775807
),
backlog AS (SELECT week, sum(delta) AS delta FROM backlog_changes GROUP BY week),
messages AS (
    SELECT (at_ns / 86400000000000 - 4) / 7 AS week, count(*) AS n
    FROM events WHERE type = 'message_received' GROUP BY 1
)
SELECT w.week,
       coalesce(m.n, 0) AS messages,
       coalesce(c.new_episodes, 0) AS new_episodes,
       coalesce(c.reopens, 0) AS reopens,
       coalesce(f.count, 0) AS frt_count, f.mean AS frt_mean, f.p50 AS frt_p50, f.p90 AS frt_p90,
       coalesce(r.count, 0) AS res_count, r.mean AS res_mean, r.p50 AS res_p50, r.p90 AS res_p90,
       sum(coalesce(b.delta, 0)) OVER (ORDER BY w.week ROWS UNBOUNDED PRECEDING) AS backlog_end
FROM weeks w
LEFT JOIN messages m ON m.week = w.week
LEFT JOIN episode_counts c ON c.week = w.week
LEFT JOIN frt f ON f.week = w.week
LEFT JOIN res r ON r.week = w.week
LEFT JOIN backlog b ON b.week = w.week
ORDER BY w.week;
