//! The operation's supplies and people beyond households: the item catalogue, sites and their
//! stock, volunteers, vehicles and shifts. Thin: each method opens the transaction (writes) and
//! calls the module that holds the concept.

use crate::error::Result;
use crate::item::{Item, ItemInput};
use crate::site::{Site, SiteInput, SitePin};
use crate::stock::{Movement, Shortage, StockChange, StockRow};
use crate::store::Store;
use crate::vehicle::{Vehicle, VehicleInput};
use crate::volunteer::{Shift, ShiftInput, ShiftRow, Volunteer, VolunteerDetail, VolunteerFilter, VolunteerInput};

impl Store {
    pub fn items(&self) -> Result<Vec<Item>> {
        crate::item::list(self.conn())
    }

    pub fn create_item(&mut self, input: &ItemInput) -> Result<Item> {
        self.write(|tx, stamp| crate::item::insert(tx, stamp, input))
    }

    pub fn update_item(&mut self, id: &str, input: &ItemInput) -> Result<Item> {
        self.write(|tx, stamp| crate::item::update(tx, stamp, id, input))
    }

    pub fn catalogue_rules(&self) -> Result<crate::catalogue::CatalogueRules> {
        crate::catalogue::rules(self.conn())
    }

    /// Sets or clears a category's default item (never for medicine); needs already on a saved
    /// plan keep what the plan loaded.
    pub fn set_category_default(&mut self, category: crate::vocab::Category, item_id: Option<&str>) -> Result<()> {
        self.write(|tx, stamp| crate::catalogue::set_default(tx, stamp, category, item_id))
    }

    pub fn save_substitution_group(&mut self, group: &crate::catalogue::SubstitutionGroup) -> Result<String> {
        self.write(|tx, stamp| crate::catalogue::save_group(tx, stamp, group))
    }

    pub fn delete_substitution_group(&mut self, id: &str) -> Result<()> {
        self.write(|tx, stamp| crate::catalogue::delete_group(tx, stamp, id))
    }

    pub fn set_kit(&mut self, kit_id: &str, components: &[crate::catalogue::KitComponent]) -> Result<()> {
        self.write(|tx, stamp| crate::catalogue::set_kit(tx, stamp, kit_id, components))
    }

    /// Open needs waiting for an item ("to match"): none named and no category default, or a
    /// unit that does not convert to their item. Never planned until someone picks one.
    pub fn needs_to_match(&self) -> Result<Vec<crate::need::Need>> {
        Ok(crate::need::list(self.conn(), Some(crate::vocab::NeedStatus::Open))?
            .into_iter()
            .filter(|n| n.item_id.is_none() || n.item_quantity.is_none())
            .collect())
    }

    pub fn sites(&self) -> Result<Vec<Site>> {
        crate::site::list(self.conn())
    }

    pub fn site(&self, id: &str) -> Result<Site> {
        crate::site::get(self.conn(), id)
    }

    pub fn site_pins(&self) -> Result<Vec<SitePin>> {
        crate::site::pins(self.conn())
    }

    pub fn create_site(&mut self, input: &SiteInput) -> Result<Site> {
        self.write(|tx, stamp| crate::site::insert(tx, stamp, input))
    }

    pub fn update_site(&mut self, id: &str, input: &SiteInput) -> Result<Site> {
        self.write(|tx, stamp| crate::site::update(tx, stamp, id, input))
    }

    pub fn stock(&self, site_id: &str) -> Result<Vec<StockRow>> {
        crate::stock::levels(self.conn(), site_id)
    }

    pub fn stock_history(&self, site_id: &str, limit: u32) -> Result<Vec<Movement>> {
        crate::stock::history(self.conn(), site_id, limit)
    }

    pub fn change_stock(&mut self, change: &StockChange) -> Result<Vec<Movement>> {
        self.write(|tx, stamp| crate::stock::apply(tx, stamp, change))
    }

    pub fn sites_with_stock(&self) -> Result<Vec<crate::stock::SiteStock>> {
        crate::stock::sites_with_stock(self.conn())
    }

    /// Every volunteer (active or not) with their vehicles and shifts.
    pub fn volunteer_details(&self) -> Result<Vec<VolunteerDetail>> {
        let all = VolunteerFilter { include_inactive: true, ..Default::default() };
        self.volunteers(&all)?.iter().map(|v| self.volunteer(&v.id)).collect()
    }

    pub fn shortages(&self) -> Result<Vec<Shortage>> {
        crate::stock::shortages(self.conn())
    }

    pub fn volunteers(&self, filter: &VolunteerFilter) -> Result<Vec<Volunteer>> {
        crate::volunteer::list(self.conn(), filter)
    }

    pub fn volunteer(&self, id: &str) -> Result<VolunteerDetail> {
        crate::volunteer::detail(self.conn(), id)
    }

    pub fn create_volunteer(&mut self, input: &VolunteerInput) -> Result<Volunteer> {
        self.write(|tx, stamp| crate::volunteer::insert(tx, stamp, input))
    }

    pub fn update_volunteer(&mut self, id: &str, input: &VolunteerInput) -> Result<Volunteer> {
        self.write(|tx, stamp| crate::volunteer::update(tx, stamp, id, input))
    }

    pub fn add_shift(&mut self, volunteer_id: &str, input: &ShiftInput) -> Result<Shift> {
        self.write(|tx, stamp| crate::volunteer::add_shift(tx, stamp, volunteer_id, input))
    }

    pub fn update_shift(&mut self, id: &str, input: &ShiftInput) -> Result<Shift> {
        self.write(|tx, stamp| crate::volunteer::update_shift(tx, stamp, id, input))
    }

    pub fn set_shifts_start_site(&mut self, shift_ids: &[String], site_id: &str) -> Result<u32> {
        self.write(|tx, stamp| crate::volunteer::set_start_site(tx, stamp, shift_ids, site_id))
    }

    pub fn delete_shift(&mut self, id: &str) -> Result<()> {
        self.write(|tx, stamp| crate::volunteer::delete_shift(tx, stamp, id))
    }

    pub fn shifts_between(&self, from: &str, until: &str) -> Result<Vec<ShiftRow>> {
        crate::volunteer::shifts_between(self.conn(), from, until)
    }

    pub fn vehicles(&self) -> Result<Vec<Vehicle>> {
        crate::vehicle::list(self.conn())
    }

    pub fn create_vehicle(&mut self, input: &VehicleInput) -> Result<Vehicle> {
        self.write(|tx, stamp| crate::vehicle::insert(tx, stamp, input))
    }

    pub fn update_vehicle(&mut self, id: &str, input: &VehicleInput) -> Result<Vehicle> {
        self.write(|tx, stamp| crate::vehicle::update(tx, stamp, id, input))
    }
}
