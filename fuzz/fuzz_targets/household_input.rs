//! Arbitrary bytes as the JSON of a household form (`HouseholdInput`). Whatever parses is
//! validated; a valid input is saved in an operation created once per process and read back, an
//! invalid one must be refused by the store too. Errors are fine; panics are not, and neither is
//! a store that refuses a valid input or keeps an invalid one (asserted below).

#![no_main]

use std::cell::RefCell;

use aidmap::household::{Consent, HouseholdInput};
use aidmap::validate::opt;
use aidmap::Store;
use aidmap_fuzz::{new_store, remove_with_sidecars};
use libfuzzer_sys::fuzz_target;

/// Households saved before the operation is replaced by a fresh one (keeps the file small).
const MAX_ROWS: usize = 10_000;

struct State {
    store: Store,
    path: std::path::PathBuf,
    rows: usize,
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

fn with_store(f: impl FnOnce(&mut Store)) {
    STATE.with_borrow_mut(|state| {
        if state.as_ref().is_some_and(|s| s.rows >= MAX_ROWS) {
            let old = state.take().unwrap();
            drop(old.store);
            remove_with_sidecars(&old.path);
        }
        let s = state.get_or_insert_with(|| {
            let (store, path) = new_store("households");
            State { store, path, rows: 0 }
        });
        s.rows += 1;
        f(&mut s.store);
    });
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<HouseholdInput>(data) else { return };
    let valid = input.validate();
    with_store(|store| {
        if let Err(e) = valid {
            let refused = store.create_household(&input);
            assert!(refused.is_err(), "the store saved an input that fails validation ({e:?}): {input:?}");
            return;
        }
        let created = match store.create_household(&input) {
            Ok(h) => h,
            Err(e) => panic!("the store refused a valid input: {e:?}\ninput: {input:?}"),
        };
        assert_eq!(created.name, input.name.trim());
        assert_eq!(created.address, input.address.trim());
        assert_eq!(created.lat, input.lat);
        assert_eq!(created.lon, input.lon);
        assert_eq!(created.location_source, input.location_source);
        assert_eq!((created.adults, created.children, created.seniors), (input.adults, input.children, input.seniors));
        assert_eq!(created.access_notes, input.access_notes.trim());
        let consent = Consent {
            date: opt(&input.consent.date),
            scope: input.consent.scope.trim().to_string(),
            ..input.consent.clone()
        };
        assert_eq!(created.consent, consent);
        assert_eq!(created.status, input.status);
        assert_eq!(created.notes, input.notes.trim());
        assert_eq!(created.notes_for_driver, input.notes_for_driver);

        let detail = match store.household(&created.id) {
            Ok(d) => d,
            Err(e) => panic!("a saved household cannot be read back: {e:?}\ninput: {input:?}"),
        };
        assert_eq!(detail.household, created);
        assert!(detail.needs.is_empty());
    });
});
