//! The operation's domain records: one module per kind of record, each with its input type,
//! validation, SQL and the plain functions that read it (taking a `&Connection`) and write it
//! (taking the `&Transaction` that `Store::write` opened, and recording each change through
//! `store::record_change`). They depend on the store layer and the leaf modules only, and on
//! each other without cycles (`tests/core/structure.rs`).

pub mod bulk;
pub mod catalogue;
pub mod closure;
pub mod duplicates;
pub mod household;
pub mod item;
pub mod merge;
pub mod need;
pub mod retention;
pub mod settings;
pub mod site;
pub mod stock;
pub mod vehicle;
pub mod volunteer;
