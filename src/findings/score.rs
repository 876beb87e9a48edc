//! Risk scores. (stub)

/// A score.
pub struct RiskScore;
/// Its input.
pub struct ScoreInput;
