//! Arbitrary bytes as the JSON of a need form (`NeedInput`). Whatever parses is validated; a
//! valid input is added to one household of an operation created once per process and read
//! back, an invalid one must be refused by the store too. Errors are fine; panics are not, and
//! neither is a store that refuses a valid input or keeps an invalid one (asserted below).

#![no_main]

use std::cell::RefCell;

use aidmap::household::HouseholdInput;
use aidmap::need::NeedInput;
use aidmap::validate::opt;
use aidmap::vocab::NeedStatus;
use aidmap::Store;
use aidmap_fuzz::{new_store, remove_with_sidecars};
use libfuzzer_sys::fuzz_target;

/// Needs added before the operation is replaced by a fresh one: every insert recounts the
/// household's open needs and every read-back lists them all, so keep the household small.
const MAX_NEEDS: usize = 256;

struct State {
    store: Store,
    path: std::path::PathBuf,
    household_id: String,
    needs: usize,
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

fn with_household(f: impl FnOnce(&mut Store, &str)) {
    STATE.with_borrow_mut(|state| {
        if state.as_ref().is_some_and(|s| s.needs >= MAX_NEEDS) {
            let old = state.take().unwrap();
            drop(old.store);
            remove_with_sidecars(&old.path);
        }
        let s = state.get_or_insert_with(|| {
            let (mut store, path) = new_store("needs");
            let household = store
                .create_household(&HouseholdInput::at("Fuzz household", 43.7384, 7.4246))
                .expect("creating the fuzz household");
            State { store, path, household_id: household.id, needs: 0 }
        });
        s.needs += 1;
        f(&mut s.store, &s.household_id);
    });
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<NeedInput>(data) else { return };
    let valid = input.validate();
    with_household(|store, household_id| {
        if let Err(e) = valid {
            let refused = store.add_need(household_id, &input);
            assert!(refused.is_err(), "the store saved a need that fails validation ({e:?}): {input:?}");
            return;
        }
        // The fuzz operation has an empty catalogue: a need naming an item is refused on that field.
        if opt(&input.item_id).is_some() {
            match store.add_need(household_id, &input) {
                Err(aidmap::Error::Validation(f)) if f.iter().any(|f| f.field == "item_id") => return,
                other => {
                    panic!("a need naming an unknown item must be refused on item_id: {other:?}\ninput: {input:?}")
                }
            }
        }
        let need = match store.add_need(household_id, &input) {
            Ok(n) => n,
            Err(e) => panic!("the store refused a valid need: {e:?}\ninput: {input:?}"),
        };
        assert_eq!(need.household_id, household_id);
        assert_eq!(need.category, input.category);
        assert_eq!(need.quantity, input.quantity);
        assert_eq!(need.unit, input.unit.trim());
        assert_eq!(need.urgency, input.urgency);
        if let Some(at) = opt(&input.requested_at) {
            // Stored in UTC (so times sort as text), the same instant as typed.
            let typed = chrono::DateTime::parse_from_rfc3339(&at).expect("validated");
            let stored = chrono::DateTime::parse_from_rfc3339(&need.requested_at).expect("stored RFC 3339");
            assert!(need.requested_at.ends_with('Z'), "stored in UTC: {}", need.requested_at);
            assert_eq!(stored.timestamp_millis(), typed.timestamp_millis());
        }
        assert_eq!(need.wanted_by, opt(&input.wanted_by));
        assert_eq!(need.status, NeedStatus::Open);
        assert_eq!(need.notes, input.notes.trim());
        assert_eq!(need.notes_for_driver, input.notes_for_driver);
        assert_eq!(need.item_source, aidmap::catalogue::ItemSource::None, "no item, no default: it waits");

        let detail = match store.household(household_id) {
            Ok(d) => d,
            Err(e) => panic!("the household cannot be read back after adding a need: {e:?}\ninput: {input:?}"),
        };
        assert!(detail.needs.iter().any(|n| n == &need), "the new need is missing from its household");
    });
});
