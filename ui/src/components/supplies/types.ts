/** What the side list shows. */
export type SideView = "households" | "sites" | "volunteers";
/** The stock change a site's form records. */
export type StockAction = "receive" | "transfer" | "issue" | "count" | "pack_kits";
