//! Every command fails with `{code, message, fields}` (the core's `ErrorReport`).

use aidmap::{Error, ErrorReport};
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct ApiError(ErrorReport);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(ErrorReport::from(&e))
    }
}

impl From<tauri::Error> for ApiError {
    fn from(e: tauri::Error) -> Self {
        Error::Internal(e.to_string()).into()
    }
}

pub type CmdResult<T> = Result<T, ApiError>;
