//! Region packs on the operation: putting a new pack in place beside it, audited.

use crate::audit::AuditAction;
use crate::error::{Error, Result};
use crate::region::{pack_path_for, replace::Replacement, RegionInfo};
use crate::store::Store;

impl Store {
    /// Puts `replacement` in place as this operation's pack and records it in the audit log.
    /// Refused (and the new pack removed) when it was built for another operation's pack —
    /// a lock or a switch during a long import must not hand this operation that pack.
    pub fn install_region(&mut self, replacement: Replacement) -> Result<RegionInfo> {
        if pack_path_for(self.path()) != replacement.target() {
            return Err(Error::Cancelled);
        }
        if self.read_only() {
            return Err(Error::ReadOnly);
        }
        let detail = replacement.detail().to_string();
        let info = replacement.put_in_place()?;
        self.record(AuditAction::Import, "region", &[], &detail)?;
        Ok(info)
    }
}
