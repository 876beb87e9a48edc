//! When to try a request again and how long to wait first. Pure.

use std::time::{Duration, SystemTime};

use super::Limits;

/// Whether a failed attempt may be followed by another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Retry {
    /// No: the failure will not go away by asking again (or asking again costs the user a
    /// whole limit again, as after a timeout).
    Never,
    /// Nothing listened: worth one more try, for a server that is restarting.
    Refused,
    /// After the backoff, or after the server's `Retry-After` when it sent one.
    After(Option<Duration>),
}

/// What the request has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tries {
    /// Attempts made, the failed one included.
    pub made: u32,
    /// An earlier attempt was refused already.
    pub refused_before: bool,
    /// Some answer text went to the caller.
    pub delivered: bool,
}

/// How long to wait before the next attempt, or `None` to give up: after text was delivered
/// (a new attempt samples a new answer that cannot continue the one shown), when the retries
/// are spent, after a second refusal, or when the failure is not worth retrying. A server's
/// `Retry-After` is honoured up to `max_backoff`; otherwise exponential backoff with full jitter
/// (`fraction` is the random draw).
pub(super) fn next_wait(
    retry: &Retry,
    tries: Tries,
    limits: &Limits,
    fraction: f64,
) -> Option<Duration> {
    if tries.delivered || tries.made > limits.retries {
        return None;
    }
    match retry {
        Retry::Never => None,
        Retry::Refused if tries.refused_before => None,
        Retry::Refused | Retry::After(None) => Some(backoff(
            tries.made,
            limits.base_backoff,
            limits.max_backoff,
            fraction,
        )),
        Retry::After(Some(wait)) => Some((*wait).min(limits.max_backoff)),
    }
}

/// Whether a status is worth another attempt: 429 (rate limited) and the 5xx that say "not
/// now" (a server that is overloaded, restarting or behind a failing proxy). 501 and 505 say
/// "never", so they are not retried.
pub(super) fn is_retryable_status(code: u16) -> bool {
    code == 429 || (500..600).contains(&code) && code != 501 && code != 505
}

/// The wait before retry number `retry` (1 for the first), with full jitter: uniformly between
/// zero and `base · 2^(retry-1)`, capped at `max`. `fraction` is the random draw in `[0, 1)`.
/// Full jitter spreads the retries of many clients (the "explain every hunk" queue) instead of
/// having them hit a recovering server together.
pub(super) fn backoff(retry: u32, base: Duration, max: Duration, fraction: f64) -> Duration {
    let exponent = retry.saturating_sub(1).min(30);
    let ceiling = base.saturating_mul(1 << exponent).min(max);
    ceiling.mul_f64(fraction.clamp(0.0, 1.0))
}

/// A `Retry-After` header's wait: delay-seconds or an HTTP date (RFC 9110 §10.2.3). A date in
/// the past is no wait; anything else unreadable is ignored (`None`).
pub(super) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn backoff_doubles_within_full_jitter_and_caps() {
        let base = Duration::from_millis(500);
        let max = Duration::from_secs(20);
        assert_eq!(backoff(1, base, max, 0.999_999).as_millis(), 499);
        assert_eq!(backoff(3, base, max, 0.5), Duration::from_secs(1));
        assert_eq!(backoff(10, base, max, 0.5), Duration::from_secs(10));
        assert_eq!(backoff(40, base, max, 1.0), max);
        assert_eq!(backoff(2, base, max, 0.0), Duration::ZERO);
    }

    #[test]
    fn when_to_try_again() {
        let limits = Limits {
            retries: 2,
            base_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            ..Limits::default()
        };
        let tries = |made, refused_before, delivered| Tries {
            made,
            refused_before,
            delivered,
        };
        let after = Retry::After(Some(Duration::from_secs(5)));
        assert_eq!(
            next_wait(&after, tries(1, false, false), &limits, 0.5),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            next_wait(&Retry::After(None), tries(2, false, false), &limits, 0.5),
            Some(Duration::from_millis(100))
        );
        // Retries spent, text delivered, a failure that will not go away: give up.
        assert_eq!(
            next_wait(&Retry::After(None), tries(3, false, false), &limits, 0.5),
            None
        );
        assert_eq!(next_wait(&after, tries(1, false, true), &limits, 0.5), None);
        assert_eq!(
            next_wait(&Retry::Never, tries(1, false, false), &limits, 0.5),
            None
        );
        // A refused connection is tried once more, never twice.
        assert_eq!(
            next_wait(&Retry::Refused, tries(1, false, false), &limits, 1.0),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            next_wait(&Retry::Refused, tries(2, true, false), &limits, 1.0),
            None
        );
    }

    #[test]
    fn which_statuses_retry() {
        for code in [429, 500, 502, 503, 504, 529] {
            assert!(is_retryable_status(code), "{code}");
        }
        for code in [400, 401, 403, 404, 413, 422, 501, 505] {
            assert!(!is_retryable_status(code), "{code}");
        }
    }
}
