//! AI provenance: which agent wrote a commit or a line, and the evidence (pure logic and data).
