/// Why structure could not be computed at all. Limits are not errors (see
/// [`super::NotParsed`]); these are defects: a query that does not compile against its
/// grammar, a grammar of an incompatible ABI.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SyntaxError {
    #[error("the {which} query of {language} does not compile: {message}")]
    Query {
        language: &'static str,
        which: &'static str,
        message: String,
    },
    #[error("the {language} grammar cannot be loaded: {message}")]
    Grammar {
        language: &'static str,
        message: String,
    },
    #[error("internal error: {what}")]
    Internal { what: &'static str },
}
