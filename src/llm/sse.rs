//! Server-sent events, parsed incrementally per the WHATWG HTML standard ("9.2 Server-sent
//! events", the event stream interpretation). Pure: fed arbitrary byte chunks as they arrive,
//! it yields whole events; it never sees a socket.
//!
//! What the spec asks and this does: lines end in LF, CR or CRLF (a CR at the end of one chunk
//! and the LF at the start of the next are one line end); a UTF-8 BOM at the start of the stream
//! is dropped; `:` lines are comments; `field: value` loses one space after the colon; several
//! `data:` lines join with `\n`; `event:` names the event (default `message`), `id:` sets the
//! last event ID (unless it contains NUL), `retry:` takes digits only; a blank line dispatches;
//! an event with no data is not dispatched; an event not closed by a blank line when the stream
//! ends is discarded. Lines are decoded as UTF-8 once whole, so a character split across chunks
//! is intact; invalid UTF-8 becomes U+FFFD as the spec says.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The `event:` field, or `message` when the event had none.
    pub event: String,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
    /// The last event ID set by an `id:` field, this event's or an earlier one's.
    pub id: String,
}

/// A line or event grew past the parser's limit (a server that never ends a line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineTooLong {
    /// The limit, in bytes.
    pub limit: usize,
}

/// The incremental parser. Feed it chunks with [`SseParser::feed`]; it keeps the unfinished line
/// and event between calls.
#[derive(Debug, Clone)]
pub struct SseParser {
    /// Bytes of the line not yet ended.
    line: Vec<u8>,
    /// The previous chunk ended in CR: an LF starting the next one belongs to that line end.
    after_cr: bool,
    /// No line has been completed yet, so a BOM may still start the stream.
    at_start: bool,
    data: String,
    event: String,
    last_id: String,
    retry: Option<u64>,
    /// The longest line, and the most data one event may gather, in bytes.
    limit: usize,
}

impl SseParser {
    /// A parser that refuses lines and events longer than `limit` bytes, so a server that never
    /// ends a line cannot fill memory.
    pub fn new(limit: usize) -> SseParser {
        SseParser {
            line: Vec::new(),
            after_cr: false,
            at_start: true,
            data: String::new(),
            event: String::new(),
            last_id: String::new(),
            retry: None,
            limit,
        }
    }

    /// The reconnection time the stream asked for with `retry:`, in milliseconds.
    pub fn retry(&self) -> Option<u64> {
        self.retry
    }

    /// Whether an event or line has started but not been dispatched: the stream, if it ends
    /// now, ends mid-event.
    pub fn has_pending(&self) -> bool {
        !self.line.is_empty() || !self.data.is_empty() || !self.event.is_empty()
    }

    /// Parses one chunk, pushing each event it completes onto `out`.
    pub fn feed(&mut self, mut chunk: &[u8], out: &mut Vec<Event>) -> Result<(), LineTooLong> {
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = chunk.strip_prefix(b"\n") {
                chunk = rest;
            }
        }
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.push_bytes(&chunk[..end])?;
            self.end_line(out)?;
            let rest = &chunk[end + 1..];
            chunk = if chunk[end] == b'\r' {
                match rest.first() {
                    Some(b'\n') => &rest[1..],
                    Some(_) => rest,
                    None => {
                        self.after_cr = true;
                        rest
                    }
                }
            } else {
                rest
            };
        }
        self.push_bytes(chunk)
    }

    fn push_bytes(&mut self, bytes: &[u8]) -> Result<(), LineTooLong> {
        if self.line.len() + bytes.len() > self.limit {
            return Err(LineTooLong { limit: self.limit });
        }
        self.line.extend_from_slice(bytes);
        Ok(())
    }

    fn end_line(&mut self, out: &mut Vec<Event>) -> Result<(), LineTooLong> {
        let mut bytes = std::mem::take(&mut self.line);
        if self.at_start {
            self.at_start = false;
            if bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes.drain(..3);
            }
        }
        let line = String::from_utf8_lossy(&bytes);
        if line.is_empty() {
            self.dispatch(out);
        } else if line.starts_with(':') {
            // A comment: servers send these as keep-alives.
        } else {
            let (field, value) = match line.split_once(':') {
                Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
                None => (line.as_ref(), ""),
            };
            match field {
                "data" => {
                    if self.data.len() + value.len() + 1 > self.limit {
                        return Err(LineTooLong { limit: self.limit });
                    }
                    self.data.push_str(value);
                    self.data.push('\n');
                }
                "event" => self.event = value.to_owned(),
                "id" if !value.contains('\0') => self.last_id = value.to_owned(),
                "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                    self.retry = value.parse().ok();
                }
                _ => {}
            }
        }
        // Keep the line's allocation for the next one.
        bytes.clear();
        self.line = bytes;
        Ok(())
    }

    fn dispatch(&mut self, out: &mut Vec<Event>) {
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        out.push(Event {
            event: if event.is_empty() {
                "message".to_owned()
            } else {
                event
            },
            data,
            id: self.last_id.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_whole(input: &[u8]) -> Vec<Event> {
        let mut parser = SseParser::new(1 << 20);
        let mut out = Vec::new();
        parser.feed(input, &mut out).unwrap();
        out
    }

    /// Every way of cutting `input` into two and three chunks gives the same events as one chunk.
    fn assert_split_invariant(input: &[u8]) -> Vec<Event> {
        let whole = parse_whole(input);
        for i in 0..=input.len() {
            for j in i..=input.len() {
                let mut parser = SseParser::new(1 << 20);
                let mut out = Vec::new();
                for part in [&input[..i], &input[i..j], &input[j..]] {
                    parser.feed(part, &mut out).unwrap();
                }
                assert_eq!(
                    out,
                    whole,
                    "split at {i} and {j} of {:?}",
                    String::from_utf8_lossy(input)
                );
            }
        }
        // And byte by byte.
        let mut parser = SseParser::new(1 << 20);
        let mut out = Vec::new();
        for byte in input {
            parser.feed(std::slice::from_ref(byte), &mut out).unwrap();
        }
        assert_eq!(out, whole);
        whole
    }

    fn event(name: &str, data: &str, id: &str) -> Event {
        Event {
            event: name.to_owned(),
            data: data.to_owned(),
            id: id.to_owned(),
        }
    }

    #[test]
    fn each_line_ending_ends_a_line_at_every_chunk_boundary() {
        for input in [
            &b"data: a\n\ndata: b\n\n"[..],
            b"data: a\r\n\r\ndata: b\r\n\r\n",
            b"data: a\r\rdata: b\r\r",
            b"data: a\r\n\rdata: b\n\r\n",
        ] {
            let events = assert_split_invariant(input);
            assert_eq!(
                events,
                vec![event("message", "a", ""), event("message", "b", "")]
            );
        }
    }

    #[test]
    fn a_cr_ending_one_chunk_and_an_lf_starting_the_next_are_one_line_end() {
        let mut parser = SseParser::new(1024);
        let mut out = Vec::new();
        parser.feed(b"data: x\r", &mut out).unwrap();
        parser.feed(b"\ndata: y\r", &mut out).unwrap();
        assert!(out.is_empty(), "no blank line yet: {out:?}");
        parser.feed(b"\n\r", &mut out).unwrap();
        parser.feed(b"\n", &mut out).unwrap();
        assert_eq!(out, vec![event("message", "x\ny", "")]);
    }

    #[test]
    fn multi_line_data_joins_with_newlines_and_keeps_inner_spaces() {
        let events = assert_split_invariant(b"data: first\ndata:second\ndata:  third\ndata\n\n");
        assert_eq!(
            events,
            vec![event("message", "first\nsecond\n third\n", "")]
        );
    }

    #[test]
    fn comments_are_ignored_and_an_event_without_data_is_not_dispatched() {
        let events =
            assert_split_invariant(b": keep-alive\n\n:\nevent: ping\n\ndata: x\n: mid\n\n");
        assert_eq!(events, vec![event("message", "x", "")]);
    }

    #[test]
    fn event_id_and_retry_fields() {
        let input = b"event: content_block_delta\nid: 7\nretry: 1500\ndata: {}\n\ndata: next\n\nid: a\0b\nretry: 2x\ndata: z\n\n";
        let events = assert_split_invariant(input);
        assert_eq!(
            events,
            vec![
                event("content_block_delta", "{}", "7"),
                event("message", "next", "7"),
                event("message", "z", "7"),
            ]
        );
        let mut parser = SseParser::new(1024);
        parser.feed(input, &mut Vec::new()).unwrap();
        assert_eq!(parser.retry(), Some(1500));
    }

    #[test]
    fn a_bom_at_the_start_is_dropped_even_split_across_chunks_but_only_there() {
        let events =
            assert_split_invariant(b"\xEF\xBB\xBFdata: a\n\n\xEF\xBB\xBFdata: b\n\ndata: c\n\n");
        // The second BOM is not at the stream's start: that line's field name is not `data`.
        assert_eq!(
            events,
            vec![event("message", "a", ""), event("message", "c", "")]
        );
    }

    #[test]
    fn a_character_split_across_chunks_is_decoded_whole() {
        let events = assert_split_invariant("data: héllo → ✓\n\n".as_bytes());
        assert_eq!(events, vec![event("message", "héllo → ✓", "")]);
    }

    #[test]
    fn a_field_without_colon_and_the_single_space_rule() {
        let events = assert_split_invariant(b"data\ndata:\ndata: \ndata:  \n\n");
        assert_eq!(events, vec![event("message", "\n\n\n ", "")]);
    }

    #[test]
    fn an_event_not_closed_by_a_blank_line_is_pending_and_not_dispatched() {
        let mut parser = SseParser::new(1024);
        let mut out = Vec::new();
        parser.feed(b"data: [DONE]\n", &mut out).unwrap();
        assert!(out.is_empty());
        assert!(parser.has_pending());
        parser.feed(b"\n", &mut out).unwrap();
        assert!(!parser.has_pending());
        assert_eq!(out, vec![event("message", "[DONE]", "")]);
    }

    #[test]
    fn a_line_longer_than_the_limit_is_refused() {
        let mut parser = SseParser::new(16);
        let mut out = Vec::new();
        parser.feed(b"data: 0123456", &mut out).unwrap();
        assert_eq!(
            parser.feed(b"789abcdef", &mut out),
            Err(LineTooLong { limit: 16 })
        );
        let mut parser = SseParser::new(16);
        let many = b"data: 0123456789\ndata: 0123456789\n";
        assert_eq!(parser.feed(many, &mut out), Err(LineTooLong { limit: 16 }));
    }
}
