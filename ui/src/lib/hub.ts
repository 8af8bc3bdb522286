// The Hub network dialog's words for what the backend sends: a conflict's values (JSON text),
// short ids, who a replica is, what became of each bundle file.
import type { FileOutcome } from "./bindings/FileOutcome";
import type { PeerView } from "./bindings/PeerView";
import type { SyncExport } from "./bindings/SyncExport";
import type { SyncImport } from "./bindings/SyncImport";
import { t, tk } from "./i18n/index.svelte";
import type { MessageKey } from "./i18n/en";

/** A replica id (UUIDv7: its end is the random part) as the audit log shows ids. */
export const shortId = (id: string) => id.slice(-8);

/** A Syncthing device ID ("MFZWI3D-BONSGYC-…") by its first group, as Syncthing shows it. */
export const shortDevice = (id: string) => id.split("-")[0] ?? id;

/** A 64-bit count from the backend (a `bigint` in the bindings, a number over JSON). */
export const count = (n: bigint | number) => Number(n);

/** A field's value as JSON text, as a person reads it: strings without quotes, lists joined. */
export function showValue(json: string): string {
  if (json.trim() === "") return t("hub.value.none");
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return json;
  }
  return plain(value);
}

function plain(value: unknown): string {
  if (value === null || value === undefined) return t("hub.value.none");
  if (typeof value === "string") return value === "" ? t("hub.value.empty") : value;
  if (typeof value === "number") return value.toLocaleString();
  if (typeof value === "boolean") return t(value ? "hub.yes" : "hub.no");
  if (Array.isArray(value)) return value.length ? value.map(plain).join(", ") : t("hub.value.empty");
  return JSON.stringify(value);
}

/** A replica by its name, else by its short id. */
export function replicaLabel(name: string, id: string): string {
  return name.trim() || `#${shortId(id)}`;
}

/** The name of the replica `id` among `peers` (its short id when unknown or unnamed). */
export function peerLabel(peers: PeerView[], id: string): string {
  const p = peers.find((x) => x.id === id);
  return replicaLabel(p?.name ?? "", id);
}

/** A peer's standing, in words. */
export function peerStatus(peer: PeerView, peers: PeerView[]): string {
  if (peer.status === "accepted" && peer.vouched_by) return t("hub.status.vouched", { name: peerLabel(peers, peer.vouched_by) });
  return tk("hub.status", peer.status);
}

/** A record of a conflict: "Household Ana Ruiz", or "Household #1a2b3c4d" when it has no name. */
export function recordLabel(entity: string, record: string, label = ""): string {
  return label ? `${tk("audit_entity", entity)} ${label}` : `${tk("audit_entity", entity)} #${shortId(record)}`;
}

/** A field of a record by its form label when it has one. */
export function fieldName(field: string): string {
  return tk("field", field);
}

/** The summary line of an import from a folder. */
export function importSummary(r: SyncImport): string {
  return t("hub.folder.imported", {
    count: count(r.changes),
    applied: count(r.applied),
    known: count(r.already_known),
    held: count(r.held),
    refused: count(r.refused),
  });
}

/** What became of one file, beyond its outcome's word. */
export function outcomeDetail(f: FileOutcome, peers: PeerView[]): string {
  switch (f.outcome) {
    case "applied": {
      const base = t("hub.file.applied_detail", { count: count(f.changes), from: peerLabel(peers, f.from) });
      return count(f.conflicts) > 0 ? `${base} ${t("hub.file.conflicts", { count: count(f.conflicts) })}` : base;
    }
    case "held":
      return t("hub.file.held_detail", { name: replicaLabel(f.name, f.replica), fingerprint: f.fingerprint });
    case "refused":
      return f.reason;
    case "already_known":
      return "";
  }
}

/** The line shown after an export. */
export function exportSummary(r: SyncExport): string {
  if (r.files.length === 0) return t("hub.folder.exported_none");
  return t("hub.folder.exported", { count: count(r.changes), files: t("hub.folder.files", { count: r.files.length }) });
}

export const outcomeWord = (f: FileOutcome) => t(`hub.outcome.${f.outcome}` as MessageKey);
