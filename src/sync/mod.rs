//! Hubs working together (issue 18), built up in parts. So far the pieces that carry no schema:
//! the hybrid logical clock that orders changes across replicas (`hlc`) and the change bundle
//! file — sealed with the operation's bundle key, signed by the replica that wrote it, checked
//! before anything is read (`bundle`) — per-field last-writer-wins with conflicts (`register`),
//! the folder that carries bundles (`folder`), and Syncthing, started per replica and driven
//! through its REST API (`syncthing`). The change log in the operation file comes next.

pub mod apply;
pub mod bundle;
pub mod exchange;
pub mod folder;
pub mod hub;
pub mod status;
pub mod syncthing;

pub use crate::store::changelog::{hlc, register};
